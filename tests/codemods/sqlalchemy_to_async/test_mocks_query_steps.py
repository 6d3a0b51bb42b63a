"""Tests that assert on a mocked legacy Query chain (``session.query.assert_called_once()``,
``q.filter_by.call_count``) while the code under test builds a ``select()`` now: the rest of the test runs under
``patch("<module under test>.select", return_value=q)``, so the code builds its statement on the test's double as
it built its Query on it, and the assertions hold on the converted code as they held on the original."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest
from codemod_helpers import write_tree

from codemods.runner import run

MODELS = """\
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Entry(Base):
    __tablename__ = "entries"
    id = Column(Integer, primary_key=True)
    kind = Column(String)
    owner = Column(String)
"""

BASE = """\
from sqlalchemy.orm import Session

from app.models import Entry


class BaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _rows(self, filters):
        query = self.session.query(Entry)
        for key, value in filters.items():
            query = query.filter_by(**{key: value})
        return query.order_by(Entry.id).all()
"""

ENTRIES = """\
from app.base import BaseRepository
from app.models import Entry


class EntryRepository(BaseRepository):
    def search(self, filters):
        return self._rows(filters)

    def latest(self, owner):
        return self.session.query(Entry).filter_by(owner=owner).order_by(Entry.id.desc()).first()
"""

TESTS = """\
from unittest.mock import Mock

import pytest

from app.entries import EntryRepository
from app.models import Entry


@pytest.fixture
def mock_session():
    return Mock()


@pytest.fixture
def repository(mock_session):
    return EntryRepository(session=mock_session)


def test_search(repository, mock_session):
    mock_query = Mock()
    mock_session.query.return_value = mock_query
    mock_query.filter_by.return_value = mock_query
    mock_query.order_by.return_value = mock_query
    mock_query.all.return_value = []

    assert repository.search({"kind": "a", "owner": "b"}) == []

    mock_session.query.assert_called_once_with(Entry)
    assert mock_query.filter_by.call_count == 2
    mock_query.order_by.assert_called_once()
    mock_query.all.assert_called_once()


def test_latest(repository, mock_session):
    mock_query = Mock()
    mock_query.filter_by.return_value = mock_query
    mock_query.order_by.return_value = mock_query
    mock_query.first.return_value = "row"
    mock_session.query.return_value = mock_query
    assert repository.latest("b") == "row"
    mock_query.filter_by.assert_called_once_with(owner="b")


def test_rows_only(repository, mock_session):
    mock_query = Mock()
    mock_query.filter_by.return_value = mock_query
    mock_query.order_by.return_value = mock_query
    mock_query.all.return_value = [1]
    mock_session.query.return_value = mock_query
    assert repository.search({}) == [1]
"""

TESTS_CONVERTED = """\
from unittest.mock import Mock, patch

import pytest

from app.entries import EntryRepository
from app.models import Entry
from sqlalchemy.ext.asyncio import AsyncSession


@pytest.fixture
def mock_session():
    return Mock(spec=AsyncSession)


@pytest.fixture
def repository(mock_session):
    return EntryRepository(session=mock_session)


async def test_search(repository, mock_session):
    mock_query = Mock()
    mock_session.execute.return_value = Mock(scalars=Mock(return_value=mock_query))
    with patch("app.entries.select", return_value=mock_query) as mock_session_query, patch("app.base.select", mock_session_query):
        mock_query.filter_by.return_value = mock_query
        mock_query.order_by.return_value = mock_query
        mock_query.all.return_value = []

        assert await repository.search({"kind": "a", "owner": "b"}) == []

        mock_session_query.assert_called_once_with(Entry)
        assert mock_query.filter_by.call_count == 2
        mock_query.order_by.assert_called_once()
        mock_query.all.assert_called_once()


async def test_latest(repository, mock_session):
    mock_query = Mock()
    mock_query.filter_by.return_value = mock_query
    mock_query.order_by.return_value = mock_query
    mock_query.first.return_value = "row"
    mock_session.execute.return_value = Mock(scalars=Mock(return_value=mock_query))
    with patch("app.entries.select", return_value=mock_query) as mock_session_query, patch("app.base.select", mock_session_query):
        assert await repository.latest("b") == "row"
        mock_query.filter_by.assert_called_once_with(owner="b")


async def test_rows_only(repository, mock_session):
    mock_query = Mock()
    mock_query.filter_by.return_value = mock_query
    mock_query.order_by.return_value = mock_query
    mock_query.all.return_value = [1]
    mock_session.execute.return_value = Mock(scalars=Mock(return_value=mock_query))
    assert await repository.search({}) == [1]
"""  # noqa: E501


def _pytest(root, src=""):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "asyncio_mode=auto", "tests"],
        env={**os.environ, "PYTHONPATH": str(root / src)},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=root,
    )


@pytest.mark.parametrize("src", ["", "src/"])
def test_assertions_on_a_mocked_query_chain_hold_on_the_select_the_code_builds_now(tmp_path, src):
    """The chain double stands for ``select(...)`` in each module the session mock is handed to (the class built
    with it and its base) that built a legacy Query: steps and ``session.query`` assertions hold; a test that
    asserts nothing on the chain is left as it was (no patch). With the packages under a ``src/`` package run
    with ``src`` on the path, the patched paths are the ones the test imports (``app.base``, not ``src.app.base``)."""
    pytest.importorskip("pytest_asyncio")
    files = {
        f"{src}app/__init__.py": "",
        f"{src}app/models.py": MODELS,
        f"{src}app/base.py": BASE,
        f"{src}app/entries.py": ENTRIES,
        "tests/__init__.py": "",
        "tests/test_entries.py": TESTS,
    }
    if src:
        files[f"{src}__init__.py"] = ""
    write_tree(tmp_path, files)
    original = _pytest(tmp_path, src)
    assert original.returncode == 0, original.stdout + original.stderr
    result = run("sqlalchemy-to-async", [tmp_path], write=True)
    assert result.count("failed") == 0
    converted = (tmp_path / "tests/test_entries.py").read_text()
    ast.parse(converted)
    assert converted == TESTS_CONVERTED
    assert "TODO" not in converted
    done = _pytest(tmp_path, src)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout
