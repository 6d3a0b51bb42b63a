"""A class patched by a patcher the test starts by hand (``patcher = patch("a.b.Service")``, ``patcher.start()``,
``addCleanup(patcher.stop)``; ``patch(...).start()``) or by ``patch.object(module, "Service")``, whose methods
became async, makes instances with ``AsyncMock``s for them, as ``with patch(...)`` and ``@patch(...)`` do.

Before, those patches were left as they were: the code under test awaited ``service.get_by_id(...)`` on a
``MagicMock`` ("object MagicMock can't be used in 'await' expression"), in a ``unittest`` ``setUp`` as in a test.
"""

from __future__ import annotations

import subprocess
import sys

from codemod_helpers import write_tree

from codemods.runner import run

SERVICE = """\
from sqlalchemy.orm import Session


class UserService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_id(self, user_id: int):
        return self.session.get(User, user_id)

    def label(self) -> str:
        return "users"


class Runner:
    def __init__(self, session: Session) -> None:
        self.users = UserService(session)

    def run(self, user_id: int) -> str:
        user = self.users.get_by_id(user_id)
        return "missing" if user is None else "ok"
"""

TESTS = """\
import unittest
from unittest.mock import patch

from app import users
from app.users import Runner


class RunnerTest(unittest.TestCase):
    def setUp(self):
        patcher = patch("app.users.UserService")
        self.service_class = patcher.start()
        self.addCleanup(patcher.stop)

    def test_missing(self):
        self.service_class.return_value.get_by_id.return_value = None
        assert Runner(None).run(1) == "missing"


def test_started():
    patcher = patch("app.users.UserService")
    service_class = patcher.start()
    try:
        service_class.return_value.get_by_id.return_value = object()
        assert Runner(None).run(1) == "ok"
    finally:
        patcher.stop()


def test_inline():
    service_class = patch("app.users.UserService").start()
    service_class.return_value.get_by_id.return_value = None
    assert Runner(None).run(1) == "missing"
    patch.stopall()


def test_object():
    service_class = patch.object(users, "UserService").start()
    service_class.return_value.get_by_id.return_value = None
    assert Runner(None).run(1) == "missing"
    patch.stopall()


def test_object_with():
    with patch.object(users, "UserService") as service_class:
        service_class.return_value.get_by_id.return_value = None
        assert Runner(None).run(1) == "missing"
"""

CONVERTED = """\
class RunnerTest(unittest.TestCase):
    def setUp(self):
        patcher = patch("app.users.UserService", return_value=MagicMock(get_by_id=AsyncMock()))
        self.service_class = patcher.start()
        self.addCleanup(patcher.stop)

    def test_missing(self):
        self.service_class.return_value.get_by_id.return_value = None
        assert _run_to_end(Runner(None).run(1)) == "missing"


async def test_started():
    patcher = patch("app.users.UserService", return_value=MagicMock(get_by_id=AsyncMock()))
    service_class = patcher.start()
    try:
        service_class.return_value.get_by_id.return_value = object()
        assert await Runner(None).run(1) == "ok"
    finally:
        patcher.stop()


async def test_inline():
    service_class = patch("app.users.UserService", return_value=MagicMock(get_by_id=AsyncMock())).start()
    service_class.return_value.get_by_id.return_value = None
    assert await Runner(None).run(1) == "missing"
    patch.stopall()


async def test_object():
    service_class = patch.object(users, "UserService", return_value=MagicMock(get_by_id=AsyncMock())).start()
    service_class.return_value.get_by_id.return_value = None
    assert await Runner(None).run(1) == "missing"
    patch.stopall()


async def test_object_with():
    with patch.object(users, "UserService", return_value=MagicMock(get_by_id=AsyncMock())) as service_class:
        service_class.return_value.get_by_id.return_value = None
        assert await Runner(None).run(1) == "missing"
"""


def test_started_patchers_and_patch_object_make_instances_with_async_mocks(tmp_path):
    write_tree(
        tmp_path,
        {"app/__init__.py": "", "app/users.py": SERVICE, "tests/__init__.py": "", "tests/test_users.py": TESTS},
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    converted = (tmp_path / "tests/test_users.py").read_text()
    assert converted.startswith("import unittest\nfrom unittest.mock import AsyncMock, MagicMock, patch\n")
    assert converted[converted.index("class RunnerTest") :] == CONVERTED
    # the converted tests pass in a fresh interpreter (its app and tests packages are the fixture's)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 passed" in done.stdout
