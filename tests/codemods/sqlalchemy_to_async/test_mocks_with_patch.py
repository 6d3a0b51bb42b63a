"""A class patched by a ``with`` item (``with patch("a.b.Service") as service_class:``) whose methods became
async makes instances with ``AsyncMock``s for them, as ``@patch("a.b.Service")`` does (``test_stand_ins``).

Seen on a command line's tests (chained after typer-to-asyncclick): ``service = service_class.return_value``
then ``service.get.return_value = x``, or a bare ``MagicMock()`` put in as ``service_class.return_value``: the
command awaited ``service.get(...)`` on a ``MagicMock`` ("object ... can't be used in 'await' expression").
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
from unittest.mock import MagicMock, patch

from app.users import Runner


def test_read_off_the_class():
    with patch("app.users.UserService") as service_class:
        service = service_class.return_value
        service.get_by_id.return_value = None
        assert Runner(None).run(1) == "missing"


def test_bare_mock_put_in():
    with patch("app.users.UserService") as users_class, patch("os.sep"):
        service = MagicMock()
        service.get_by_id.return_value = object()
        users_class.return_value = service
        assert Runner(None).run(1) == "ok"


def test_given_its_own():
    with patch("app.users.UserService", return_value=MagicMock()):
        with patch.object(Runner, "__init__", return_value=None):
            pass
"""

CONVERTED = """\
from unittest.mock import AsyncMock, MagicMock, patch

from app.users import Runner


async def test_read_off_the_class():
    with patch("app.users.UserService", return_value=MagicMock(get_by_id=AsyncMock())) as service_class:
        service = service_class.return_value
        service.get_by_id.return_value = None
        assert await Runner(None).run(1) == "missing"


async def test_bare_mock_put_in():
    with patch("app.users.UserService", return_value=MagicMock(get_by_id=AsyncMock())) as users_class, patch("os.sep"):
        service = MagicMock(get_by_id=AsyncMock())
        service.get_by_id.return_value = object()
        users_class.return_value = service
        assert await Runner(None).run(1) == "ok"


def test_given_its_own():
    with patch("app.users.UserService", return_value=MagicMock()):
        with patch.object(Runner, "__init__", return_value=None):
            pass
"""


def _run_tests(folder, module: str, *tests: str) -> None:
    """Run the converted tests in a fresh interpreter: its ``app`` and ``tests`` packages are the fixture's, not
    whatever another test of this run left in ``sys.modules`` under those names."""
    calls = "; ".join(f"asyncio.run(module.{name}())" for name in tests)
    script = f"import asyncio, importlib; module = importlib.import_module({module!r}); {calls}"
    done = subprocess.run([sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_class_patched_by_a_with_item_makes_instances_with_async_mocks_for_its_coroutine_methods(tmp_path):
    """Both ways a test reaches the instance get ``AsyncMock``s; a patch given its own ``return_value``, a
    ``patch.object`` and a class with no coroutine method are left alone. The converted tests pass."""
    write_tree(tmp_path, {"app/__init__.py": "", "app/users.py": SERVICE, "tests/test_users.py": TESTS})
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    converted = (tmp_path / "tests/test_users.py").read_text()
    assert converted == CONVERTED
    # "MagicMock can't be used in 'await' expression" before
    _run_tests(tmp_path, "tests.test_users", "test_read_off_the_class", "test_bare_mock_put_in")


CLI = """\
import asyncclick as click

from app.users import Runner


@click.command()
@click.argument("user_id", type=int)
async def cli(user_id):
    click.echo(Runner(None).run(user_id))
"""

CLI_TESTS = """\
from unittest.mock import patch

from asyncclick.testing import CliRunner

from app.cli import cli


async def test_show_missing():
    with patch("app.users.UserService") as service_class:
        service_class.return_value.get_by_id.return_value = None
        result = await CliRunner().invoke(cli, ["1"])
    assert result.output == "missing\\n"
"""


def test_a_test_module_reaching_the_converted_code_only_through_a_runner_is_converted_for_its_patches(tmp_path):
    """The tests hand the command to a runner (nothing they call became async, no SQLAlchemy name): the patch of
    a class whose methods became async is what they have to change, and they are converted for it."""
    files = {"app/__init__.py": "", "app/users.py": SERVICE, "app/cli.py": CLI, "tests/test_cli.py": CLI_TESTS}
    write_tree(tmp_path, files)
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    converted = (tmp_path / "tests/test_cli.py").read_text()
    assert converted == CLI_TESTS.replace(
        "from unittest.mock import patch", "from unittest.mock import AsyncMock, MagicMock, patch"
    ).replace(
        'patch("app.users.UserService")',
        'patch("app.users.UserService", return_value=MagicMock(get_by_id=AsyncMock()))',
    )
    _run_tests(tmp_path, "tests.test_cli", "test_show_missing")  # the command awaited a MagicMock before: exit 1
