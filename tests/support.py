"""Helpers shared by the test suites (importable as ``support``; ``conftest`` names are ambiguous)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

POSTGRES_ADMIN_URL = os.environ.get("ASYNCSHIFT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REQUIRE_POSTGRES = os.environ.get("ASYNCSHIFT_REQUIRE_POSTGRES") == "1"


def _postgres_unavailable() -> str | None:
    import psycopg

    try:
        with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"no PostgreSQL answers at {POSTGRES_ADMIN_URL}: {str(exc).strip().splitlines()[0]}"


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://").replace("postgresql+asyncpg://", "postgresql://")


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A database created for this run and dropped after it."""
    import psycopg

    reason = _postgres_unavailable()
    if reason:
        if REQUIRE_POSTGRES:
            pytest.fail(f"{reason} (ASYNCSHIFT_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    name = f"aa_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(_libpq(POSTGRES_ADMIN_URL), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.asynccontextmanager
async def database_with(url: str, model: Any) -> AsyncIterator[Any]:
    """A ``compat.db.Database`` on ``url`` with ``model``'s metadata created and its table empty;
    the metadata is dropped after."""
    from compat.db import Database

    database = Database.from_url(url, "TEST_URL")
    model.metadata.create_all(database.sync_engine)
    with database.sync_engine.begin() as connection:
        connection.execute(model.__table__.delete())
    try:
        yield database
    finally:
        await database.adispose()
        model.metadata.drop_all(database.sync_engine)
        database.dispose()


def rows_in(database: Any, model: Any) -> int:
    """How many rows ``model``'s table holds, read on a connection of its own."""
    from sqlalchemy import func, select

    with database.sync_engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def add_soon(scheduler: Any, *jobs: tuple, every: dt.timedelta, ahead: float = 0.3) -> dt.datetime:
    """``scheduler.add`` of each job (``(job id, definition, *args)``), run every ``every``, their first run at one
    time ``ahead`` seconds from now; that time.

    APScheduler's interval trigger puts the first run a whole interval after its start date when that date has
    passed by the time the job is added (``start_date + every * ceil(late / every)``): on a busy machine a test
    computing the date, then adding its jobs, waited for a run an hour or a day away and failed (60 s without the
    dying scheduler's marker). Added again, from a start date twice as far ahead, until every first run is the start
    date."""
    from apscheduler.triggers.interval import IntervalTrigger

    for _ in range(8):
        due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=ahead)
        added = [
            scheduler.add(job_id, definition, IntervalTrigger(seconds=every.total_seconds(), start_date=due), *args)
            for job_id, definition, *args in jobs
        ]
        if all(abs(job.next_run_time - due) < dt.timedelta(milliseconds=1) for job in added):
            return due
        ahead *= 2
    raise AssertionError(f"added up to {ahead / 2} s ahead, a first run was always a period later")


class Awaitable:
    """A sync object seen through an async facade: each method call returns an awaitable.

    Lets one test body (``await repos.users.add(...)``) drive the sync stack and the async one.
    """

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._target, name)
        if not callable(attribute):
            return attribute

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await self._run(attribute, *args, **kwargs)

        return call

    async def _run(self, attribute: Any, *args: Any, **kwargs: Any) -> Any:
        return attribute(*args, **kwargs)


class ThreadedAwaitable(Awaitable):
    """A sync object called the way a Flask view or a Typer command calls it: from a thread of
    its own (a bridge worker), never from the event loop's thread; each call is awaitable."""

    async def _run(self, attribute: Any, *args: Any, **kwargs: Any) -> Any:
        from compat import bridge

        return await bridge.call_async(attribute, *args, **kwargs)
