"""A bare ``Mock()`` a test hands to an unannotated parameter that the run's own calls hand a session (the
parameter typed by ``handed_params``, so the function awaits ``commit()`` now) gets ``spec=AsyncSession`` as it
would for an annotated one. Seen on a real application's service tests: ``db_session.commit()`` awaited on a bare
``Mock`` ("object Mock can't be used in 'await' expression")."""

from __future__ import annotations

import ast
import subprocess
import sys

from codemod_helpers import write_tree

from codemods.runner import run

ARCHIVE = """\
from sqlalchemy.orm import sessionmaker

SessionLocal = sessionmaker()


def make_immutable(items, db_session):
    for item in items:
        item.locked = True
    db_session.commit()


def archive(items):
    with SessionLocal() as session:
        make_immutable(items, session)
"""

TESTS = """\
from unittest.mock import Mock

import pytest

from app.archive import make_immutable


@pytest.fixture
def mock_session():
    return Mock()


def test_locks(mock_session):
    items = [Mock(locked=False)]
    make_immutable(items, mock_session)
    assert items[0].locked
    mock_session.commit.assert_called_once()
"""


def test_a_bare_mock_handed_where_the_run_hands_a_session_is_an_async_session_double(tmp_path):
    write_tree(
        tmp_path,
        {"app/__init__.py": "", "app/archive.py": ARCHIVE, "tests/__init__.py": "", "tests/test_archive.py": TESTS},
    )
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    archive = (tmp_path / "app/archive.py").read_text()
    assert "async def make_immutable(items, db_session):" in archive
    assert "await db_session.commit()" in archive
    converted = (tmp_path / "tests/test_archive.py").read_text()
    ast.parse(converted)
    assert "Mock(spec=AsyncSession)" in converted, converted
    assert "await make_immutable(items, mock_session)" in converted
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_archive.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
