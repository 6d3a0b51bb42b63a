"""Stand-ins: a test's own function or class put in place of code that became async takes its colour."""

from __future__ import annotations

import ast

from codemod_helpers import check_noop, check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD

SERVICE = """\
from sqlalchemy.orm import Session


class UserService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_id(self, user_id: int):
        return self.session.get(User, user_id)


class Runner:
    def __init__(self, session: Session) -> None:
        self.users = UserService(session)

    def run(self, user_id: int) -> str:
        user = self.users.get_by_id(user_id)
        return "missing" if user is None else "ok"
"""


def test_a_function_assigned_over_a_method_made_async_becomes_a_coroutine_function():
    check_transformed(
        CODEMOD,
        SERVICE
        + """

def test_missing_user(monkeypatch):
    runner = Runner(None)

    def no_user(user_id: int):
        return None

    def no_user_either(user_id: int):
        return None

    runner.users.get_by_id = no_user
    assert runner.run(1) == "missing"
    monkeypatch.setattr(runner.users, "get_by_id", no_user_either)
    assert runner.run(2) == "missing"
""",
        SERVICE.replace("from sqlalchemy.orm import Session", "from sqlalchemy.ext.asyncio import AsyncSession")
        .replace("session: Session", "session: AsyncSession")
        .replace("    def get_by_id", "    async def get_by_id")
        .replace("return self.session.get(", "return await self.session.get(")
        .replace("    def run", "    async def run")
        .replace("user = self.users", "user = await self.users")
        + """

async def test_missing_user(monkeypatch):
    runner = Runner(None)

    async def no_user(user_id: int):
        return None

    async def no_user_either(user_id: int):
        return None

    runner.users.get_by_id = no_user
    assert await runner.run(1) == "missing"
    monkeypatch.setattr(runner.users, "get_by_id", no_user_either)
    assert await runner.run(2) == "missing"
""",
    )


def test_a_function_assigned_over_a_sync_method_stays_sync():
    check_noop(
        CODEMOD,
        """\
        class Clock:
            def now(self) -> int:
                return 1


        def test_clock():
            clock = Clock()

            def fixed() -> int:
                return 2

            clock.now = fixed
            assert clock.now() == 2
        """,
    )


STAND_IN_TESTS = """\
from app.users import Runner


class FakeService:
    def __init__(self, session=None) -> None:
        self.session = session

    def get_by_id(self, user_id: int):
        return object()

    def label(self) -> str:
        return "fake"


def test_found_user(monkeypatch):
    def factory(session):
        return FakeService()

    monkeypatch.setattr("app.users.UserService", factory)
    assert Runner(None).run(1) == "ok"


def test_found_user_by_class(monkeypatch):
    monkeypatch.setattr("app.users.UserService", FakeService)
    assert Runner(None).run(1) == "ok"
"""

STAND_IN_TESTS_CONVERTED = """\
from app.users import Runner


class FakeService:
    def __init__(self, session=None) -> None:
        self.session = session

    async def get_by_id(self, user_id: int):
        return object()

    def label(self) -> str:
        return "fake"


async def test_found_user(monkeypatch):
    def factory(session):
        return FakeService()

    monkeypatch.setattr("app.users.UserService", factory)
    assert await Runner(None).run(1) == "ok"


async def test_found_user_by_class(monkeypatch):
    monkeypatch.setattr("app.users.UserService", FakeService)
    assert await Runner(None).run(1) == "ok"
"""


def test_a_class_or_factory_put_in_place_of_a_class_gets_its_coroutine_methods_and_no_todo(tmp_path):
    write_tree(
        tmp_path,
        {"app/__init__.py": "", "app/users.py": SERVICE, "tests/test_users.py": STAND_IN_TESTS},
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    converted = (tmp_path / "tests/test_users.py").read_text()
    ast.parse(converted)
    assert converted == STAND_IN_TESTS_CONVERTED


MOCK_TESTS = """\
from unittest.mock import Mock, patch

from app.users import Runner, UserService


class TestRunner:
    def setup_method(self):
        self.service = Mock(spec=UserService)

    @patch("app.users.UserService")
    def test_missing(self, service_class):
        service = Mock()
        service_class.return_value = service
        service.get_by_id.return_value = None
        assert Runner(None).run(1) == "missing"

    def test_attribute(self):
        runner = Runner(None)
        users = Mock()
        runner.users = users
        users.get_by_id.return_value = None
        assert runner.run(1) == "missing"

    def test_specced(self):
        runner = Runner(None)
        runner.users = self.service
        self.service.get_by_id.return_value = 3
        assert runner.run(1) == "ok"
        assert self.service.get_by_id(1) == 3
"""

MOCK_TESTS_CONVERTED = """\
from unittest.mock import AsyncMock, MagicMock, Mock, patch

from app.users import Runner, UserService


class TestRunner:
    def setup_method(self):
        self.service = Mock(spec=UserService)

    @patch("app.users.UserService", return_value=MagicMock(get_by_id=AsyncMock()))
    async def test_missing(self, service_class):
        service = Mock(get_by_id=AsyncMock())
        service_class.return_value = service
        service.get_by_id.return_value = None
        assert await Runner(None).run(1) == "missing"

    async def test_attribute(self):
        runner = Runner(None)
        users = Mock(get_by_id=AsyncMock())
        runner.users = users
        users.get_by_id.return_value = None
        assert await runner.run(1) == "missing"

    async def test_specced(self):
        runner = Runner(None)
        runner.users = self.service
        self.service.get_by_id.return_value = 3
        assert await runner.run(1) == "ok"
        assert await self.service.get_by_id(1) == 3
"""


def test_a_bare_mock_put_in_place_of_an_instance_gets_async_mocks_and_a_specced_one_is_awaited(tmp_path):
    """``Mock(spec=UserService)`` of the converted class makes ``AsyncMock``s of its coroutine methods itself."""
    write_tree(tmp_path, {"app/__init__.py": "", "app/users.py": SERVICE, "tests/test_users.py": MOCK_TESTS})
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    converted = (tmp_path / "tests/test_users.py").read_text()
    ast.parse(converted)
    assert converted == MOCK_TESTS_CONVERTED


WRAP_TESTS = """\
from unittest.mock import MagicMock, patch

from app.users import Runner


def make_users():
    mock = MagicMock()
    mock.get_by_id.side_effect = lambda user_id: None
    return mock


def test_patched():
    runner = Runner(None)
    users = make_users()
    with patch.object(runner.users, "get_by_id", users.get_by_id):
        assert runner.run(1) == "missing"
    runner.users.get_by_id = lambda user_id: None
    assert runner.run(1) == "missing"
    users.get_by_id.assert_called_once_with(1)
"""

WRAP_TESTS_CONVERTED = """\
from unittest.mock import AsyncMock, MagicMock, patch

from app.users import Runner


def make_users():
    mock = MagicMock()
    mock.get_by_id.side_effect = lambda user_id: None
    return mock


async def test_patched():
    runner = Runner(None)
    users = make_users()
    with patch.object(runner.users, "get_by_id", AsyncMock(side_effect=users.get_by_id)):
        assert await runner.run(1) == "missing"
    runner.users.get_by_id = AsyncMock(side_effect=lambda user_id: None)
    assert await runner.run(1) == "missing"
    users.get_by_id.assert_called_once_with(1)
"""


def test_a_sync_callable_put_in_place_of_an_instances_coroutine_method_is_wrapped_in_an_async_mock(tmp_path):
    write_tree(tmp_path, {"app/__init__.py": "", "app/users.py": SERVICE, "tests/test_users.py": WRAP_TESTS})
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    converted = (tmp_path / "tests/test_users.py").read_text()
    ast.parse(converted)
    assert converted == WRAP_TESTS_CONVERTED


def test_a_class_patched_by_a_decorator_makes_instances_with_async_mocks_for_its_coroutine_methods(tmp_path):
    tests = (
        "from unittest.mock import patch\n\nfrom app.users import Runner\n\n\n"
        '@patch("app.users.UserService")\ndef test_missing(service_class):\n'
        "    service_class.return_value.get_by_id.return_value = None\n"
        '    assert Runner(None).run(1) == "missing"\n\n\n'
        '@patch("app.users.UserService", autospec=True)\ndef test_autospec(service_class):\n'
        '    assert Runner(None).run(1) == "ok"\n'
    )
    write_tree(tmp_path, {"app/__init__.py": "", "app/users.py": SERVICE, "tests/test_users.py": tests})
    run("sqlalchemy-to-async", [tmp_path], write=True)
    converted = (tmp_path / "tests/test_users.py").read_text()
    ast.parse(converted)
    assert converted == (
        "from unittest.mock import AsyncMock, MagicMock, patch\n\nfrom app.users import Runner\n\n\n"
        '@patch("app.users.UserService", return_value=MagicMock(get_by_id=AsyncMock()))\n'
        "async def test_missing(service_class):\n"
        "    service_class.return_value.get_by_id.return_value = None\n"
        '    assert await Runner(None).run(1) == "missing"\n\n\n'
        '@patch("app.users.UserService", autospec=True)\nasync def test_autospec(service_class):\n'
        '    assert await Runner(None).run(1) == "ok"\n'
    )


def test_bare_mocks_a_patched_class_makes_one_call_after_another_get_async_mocks(tmp_path):
    tests = (
        "from unittest.mock import MagicMock, patch\n\nfrom app.users import Runner\n\n\n"
        '@patch("app.users.UserService")\ndef test_two(service_class):\n'
        "    first = MagicMock()\n    second = MagicMock()\n    service_class.side_effect = [first, second]\n"
        "    first.get_by_id.return_value = None\n"
        '    assert Runner(None).run(1) == "missing"\n'
    )
    write_tree(tmp_path, {"app/__init__.py": "", "app/users.py": SERVICE, "tests/test_users.py": tests})
    run("sqlalchemy-to-async", [tmp_path], write=True)
    converted = (tmp_path / "tests/test_users.py").read_text()
    ast.parse(converted)
    assert "    first = MagicMock(get_by_id=AsyncMock())\n    second = MagicMock(get_by_id=AsyncMock())\n" in converted
