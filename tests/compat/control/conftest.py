"""The records databases the control plane reads: every judgement is tested on SQLite and on PostgreSQL
with one set of expectations, since operators point the toolkit at either."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import pytest
from sqlalchemy.engine import Engine
from support import postgres_database

from compat.control.results import SqlSource
from compat.db import Database
from compat.shadow import Comparison, SqlRecorder
from compat.shadow.recorders import ensure_tables, shadow_metadata, shadow_results


@pytest.fixture(params=["sqlite", "postgresql"])
def records_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty records database: a SQLite file or a PostgreSQL database made for the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.db'}"
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def records_engine(records_url: str) -> Iterator[Engine]:
    """A sync engine on ``records_url``, built as the toolkit builds its own (``compat.db``)."""
    database = Database.from_url(records_url, "TEST_URL")
    yield database.sync_engine
    database.dispose()


@pytest.fixture
def recorded(records_engine: Engine) -> Callable[[Sequence[Comparison]], SqlSource]:
    """Comparisons written through ``SqlRecorder`` and read back through ``SqlSource``: what a
    judgement sees in production, rather than the objects a test built. Each call replaces the
    records, so a test can judge one set of runs, then another."""

    def write(comparisons: Sequence[Comparison]) -> SqlSource:
        ensure_tables(records_engine, shadow_metadata)
        with records_engine.begin() as connection:
            connection.execute(shadow_results.delete())
        recorder = SqlRecorder(records_engine)
        for comparison in comparisons:
            recorder.record(comparison)
        recorder.flush()
        return SqlSource(records_engine)

    return write
