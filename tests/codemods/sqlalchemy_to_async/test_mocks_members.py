"""A bare mock whose member a test hands on as a session (``Manager(session=db.session)``, in the test or in a
helper the test hands ``db``): the member is an ``AsyncSession`` double, as a bare mock handed on itself is
(``test_mocks_handed``). Seen on a real forum's auth tests: ``db = mocker.Mock()`` (pytest-mock's fixture),
``db.session.commit.side_effect = ...``, then ``await self.session.commit()`` in the converted service raised
"object Mock can't be used in 'await' expression" where the test expected its own exception."""

from __future__ import annotations

import ast
import subprocess
import sys

from codemod_helpers import write_tree

from codemods.runner import run

SERVICE = """\
from sqlalchemy.orm import sessionmaker

SessionLocal = sessionmaker()


class Manager:
    def __init__(self, session):
        self.session = session

    def authenticate(self, name):
        try:
            return name.upper()
        finally:
            try:
                self.session.commit()
            except Exception:
                self.session.rollback()
                raise


def login(name):
    with SessionLocal() as session:
        return Manager(session=session).authenticate(name)
"""

CONFTEST = """\
from unittest import mock

import pytest


class _Mocker:  # pytest-mock's fixture, as far as these tests use it
    Mock = mock.Mock
    MagicMock = mock.MagicMock


@pytest.fixture
def mocker():
    return _Mocker()
"""

TESTS = """\
from unittest.mock import MagicMock

import pytest

from app.auth import Manager


class TestManager:
    def test_reraises_if_commit_fails(self, mocker):
        class Boom(Exception):
            pass

        db = mocker.Mock()
        db.session.commit.side_effect = Boom
        service = self._manager(db)

        with pytest.raises(Boom):
            service.authenticate("fred")

        db.session.rollback.assert_called_once_with()

    def test_commits(self, mocker):
        db = mocker.MagicMock()
        assert self._manager(db).authenticate("fred") == "FRED"
        db.session.commit.assert_called_once_with()

    def _manager(self, db):
        return Manager(session=db.session)


def test_handed_in_the_test():
    db = MagicMock()
    assert Manager(db.session).authenticate("ann") == "ANN"
    db.session.commit.assert_called_once_with()
    db.session.rollback.assert_not_called()
"""


def test_a_mock_s_member_handed_on_as_a_session_is_an_async_session_double(tmp_path):
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/auth.py": SERVICE,
            "tests/__init__.py": "",
            "tests/conftest.py": CONFTEST,
            "tests/test_auth.py": TESTS,
        },
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    assert "await self.session.commit()" in (tmp_path / "app/auth.py").read_text()
    converted = (tmp_path / "tests/test_auth.py").read_text()
    ast.parse(converted)
    assert "db = mocker.Mock(session=mocker.Mock(spec=AsyncSession))" in converted, converted
    assert "db = mocker.MagicMock(session=mocker.MagicMock(spec=AsyncSession))" in converted, converted
    assert "db = MagicMock(session=MagicMock(spec=AsyncSession))" in converted, converted
    assert "TODO" not in converted, converted  # the helper's ``db.session`` is the tests' double: no unknown session
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_auth.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_a_helper_handed_something_else_by_one_caller_keeps_its_todo(tmp_path):
    tests = TESTS.replace(
        "def test_handed_in_the_test():",
        "def test_real(tmp_path):\n    assert TestManager()._manager(object())\n\n\ndef test_handed_in_the_test():",
    )
    write_tree(
        tmp_path,
        {"app/__init__.py": "", "app/auth.py": SERVICE, "tests/__init__.py": "", "tests/test_auth.py": tests},
    )
    run("sqlalchemy-to-async", [tmp_path], write=True)
    converted = (tmp_path / "tests/test_auth.py").read_text()
    assert "db = mocker.Mock(session=mocker.Mock(spec=AsyncSession))" in converted, converted  # its own callers'
    assert "'db.session' is handed to Manager() as its session" in converted, converted


SCOPED = SERVICE.replace(
    "from sqlalchemy.orm import sessionmaker", "from sqlalchemy.orm import scoped_session, sessionmaker"
)
SCOPED = SCOPED.replace("SessionLocal = sessionmaker()", "db_session = scoped_session(sessionmaker())").replace(
    "    with SessionLocal() as session:\n        return Manager(session=session).authenticate(name)",
    "    return Manager(session=db_session).authenticate(name)",
)


def test_a_mock_s_member_where_the_run_hands_a_scoped_session(tmp_path):
    """Flask-SQLAlchemy's ``db.session`` (a scoped session) is what the run hands the service: the test's double is
    made the same way."""
    assert "scoped_session(sessionmaker())" in SCOPED and "Manager(session=db_session)" in SCOPED
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/auth.py": SCOPED,
            "tests/__init__.py": "",
            "tests/conftest.py": CONFTEST,
            "tests/test_auth.py": TESTS,
        },
    )
    run("sqlalchemy-to-async", [tmp_path], write=True)
    assert "await self.session.commit()" in (tmp_path / "app/auth.py").read_text()
    converted = (tmp_path / "tests/test_auth.py").read_text()
    assert "db = mocker.Mock(session=mocker.Mock(spec=AsyncSession))" in converted, converted
