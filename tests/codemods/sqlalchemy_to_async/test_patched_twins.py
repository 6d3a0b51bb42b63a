"""A test's ``patch("pkg.mod.Session", ...)`` (``mocker.patch``, ``monkeypatch.setattr``) where the run renamed
``pkg.mod``'s import to its async twin: the target names the twin; a bare ``MagicMock()`` given as what building
the session gives is specced on the async session and entered with ``__aenter__``; other stand-ins get a TODO."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from codemod_helpers import write_tree

from codemods.runner import run

PRE_START = """\
    from sqlalchemy import Engine, create_engine, text
    from sqlalchemy.orm import Session

    engine = create_engine("sqlite:///app.db")


    def init(db_engine: Engine) -> None:
        with Session(db_engine) as session:
            session.execute(text("SELECT 1"))
    """

TEST = """\
    from unittest.mock import MagicMock, patch

    from app.pre_start import init


    def test_init():
        session_mock = MagicMock()
        session_mock.__enter__.return_value = session_mock
        with patch("app.pre_start.Session", return_value=session_mock):
            init(MagicMock())
        session_mock.execute.assert_called_once()
    """

MOCKER = """\
    from app.pre_start import init


    def test_init(mocker):
        made = mocker.patch("app.pre_start.create_engine")
        init(mocker.MagicMock())
    """

MONKEYPATCH = """\
    from app.pre_start import init


    class FakeSession:
        def __init__(self, engine):
            pass


    def test_init(monkeypatch):
        monkeypatch.setattr("app.pre_start.Session", FakeSession)
        init(None)
    """


def _converted(tmp_path, files):
    tree = write_tree(tmp_path / "src", {k: textwrap.dedent(v) for k, v in files.items()})
    result = run("sqlalchemy-to-async", [tree], out=tmp_path / "out")
    assert result.count("failed") == 0
    return tmp_path / "out"


def _files(test):
    return {"app/__init__.py": "", "app/pre_start.py": PRE_START, "tests/test_pre_start.py": test}


def test_a_patched_session_class_is_patched_as_its_async_twin_and_its_mock_fits(tmp_path):
    out = _converted(tmp_path, _files(TEST))
    test = (out / "tests" / "test_pre_start.py").read_text()
    assert 'with patch("app.pre_start.AsyncSession", return_value=session_mock):' in test
    assert "session_mock = MagicMock(spec=AsyncSession)" in test
    assert "session_mock.__aenter__.return_value = session_mock" in test
    assert "from sqlalchemy.ext.asyncio import AsyncSession" in test
    assert "TODO" not in test


def test_mocker_patch_of_a_renamed_engine_factory_names_the_twin(tmp_path):
    out = _converted(tmp_path, _files(MOCKER))
    test = (out / "tests" / "test_pre_start.py").read_text()
    assert 'mocker.patch("app.pre_start.create_async_engine")' in test
    assert "TODO" not in test


def test_monkeypatch_with_a_sync_stand_in_names_the_twin_with_a_todo(tmp_path):
    out = _converted(tmp_path, _files(MONKEYPATCH))
    test = (out / "tests" / "test_pre_start.py").read_text()
    lines = test.splitlines()
    at = next(i for i, x in enumerate(lines) if "monkeypatch.setattr(" in x)
    assert 'monkeypatch.setattr("app.pre_start.AsyncSession", FakeSession)' in lines[at]
    assert "# TODO(asyncshift): app.pre_start.Session is AsyncSession now" in lines[at - 1]


def test_a_patch_of_a_name_the_module_keeps_is_left_alone(tmp_path):
    kept = TEST.replace("app.pre_start.Session", "app.pre_start.text")
    out = _converted(tmp_path, _files(kept))
    test = (out / "tests" / "test_pre_start.py").read_text()
    assert 'patch("app.pre_start.text", return_value=session_mock)' in test
    assert "session_mock = MagicMock()" in test


def test_the_rewritten_patch_holds_on_the_converted_code(tmp_path):
    """The converted module and test run: the patch finds its target and the mock is what ``async with`` gives."""
    pytest.importorskip("aiosqlite")
    pytest.importorskip("pytest_asyncio")
    out = _converted(tmp_path, _files(TEST))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "asyncio_mode=auto", "tests"],
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=out,
    )
    assert done.returncode == 0, done.stdout + done.stderr


DECORATOR = """\
    from unittest import mock

    from app.pre_start import init


    @mock.patch("app.pre_start.Session")
    def test_init(session_class):
        init(None)
        session_class.assert_called_once()
    """


def test_a_patch_decorator_names_the_twin(tmp_path):
    out = _converted(tmp_path, _files(DECORATOR))
    test = (out / "tests" / "test_pre_start.py").read_text()
    assert '@mock.patch("app.pre_start.AsyncSession")' in test


NOTHING_ELSE = """\
    def test_engine_is_built(mocker):
        made = mocker.patch("app.pre_start.create_engine")
        import app.pre_start  # noqa: F401
    """


def test_a_test_module_naming_nothing_of_sqlalchemy_is_rewritten_for_its_patch(tmp_path):
    """Nothing in the test calls what became async: its patch alone makes it one to rewrite."""
    out = _converted(tmp_path, _files(NOTHING_ELSE))
    test = (out / "tests" / "test_pre_start.py").read_text()
    assert 'mocker.patch("app.pre_start.create_async_engine")' in test


OBJECT = """\
    from unittest.mock import patch

    from app import pre_start


    def test_init():
        with patch.object(pre_start, "Session") as session_class:
            pre_start.init(None)
        session_class.assert_called_once()
    """


def test_patch_object_on_the_module_names_the_twin(tmp_path):
    out = _converted(tmp_path, _files(OBJECT))
    test = (out / "tests" / "test_pre_start.py").read_text()
    assert 'with patch.object(pre_start, "AsyncSession") as session_class:' in test


LIBRARY = """\
    from unittest.mock import patch

    from app.pre_start import init


    def test_init():
        with patch("sqlalchemy.orm.Session") as session_class, patch("sqlalchemy.orm.Session.execute"):
            init(None)
        session_class.assert_called_once()
    """


def test_a_patch_of_the_sync_library_class_gets_a_todo(tmp_path):
    """The converted code builds AsyncSession: a patch of Session itself changes nothing now (a patch of its
    ``execute`` still does: AsyncSession.execute calls it)."""
    lines = (_converted(tmp_path, _files(LIBRARY)) / "tests" / "test_pre_start.py").read_text().splitlines()
    at = next(i for i, x in enumerate(lines) if 'patch("sqlalchemy.orm.Session") as' in x)
    assert lines[at - 1].strip() == (
        "# TODO(asyncshift): patches the sync sqlalchemy.orm.Session; the converted code uses "
        "sqlalchemy.ext.asyncio.AsyncSession, which this does not reach: patch that"
    )
    assert "TODO" not in lines[at - 2]
