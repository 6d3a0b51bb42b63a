"""What a job's fenced commit costs (``compat.jobs.fencing``): the lease check every commit of a running
job makes is its one statement on the DBAPI cursor, in the commit's transaction, not a second trip
through SQLAlchemy's execution; counted in Python calls, on SQLite, both engines."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select

from compat.db import Database
from compat.jobs import LeaseLost, fencing, job_runs, jobs_metadata

COMMITS = 50
AT = dt.datetime(2026, 1, 1, 3, 0)
work_metadata = MetaData()
work = Table("fence_calls_work", work_metadata, Column("id", Integer, primary_key=True), Column("note", String(20)))


class Calls:
    """Python calls in this thread (greenlets included) while counting."""

    def __init__(self) -> None:
        self.calls = 0

    def profile(self, frame, event, arg) -> None:
        if event in ("call", "c_call"):
            self.calls += 1

    def __enter__(self) -> Calls:
        sys.setprofile(self.profile)
        return self

    def __exit__(self, *exc) -> None:
        sys.setprofile(None)


@pytest.fixture
def database(tmp_path: Path):
    db = Database.from_url(f"sqlite:///{tmp_path / 'fence.db'}")
    jobs_metadata.create_all(db.sync_engine)
    work_metadata.create_all(db.sync_engine)
    with db.sync_engine.begin() as connection:
        rows = [
            {"job_id": f"job-{i}", "scheduled_at": AT, "started_at": AT, "heartbeat_at": AT, "status": "running",
             "side": "new", "runner": "here", "attempts": 1}
            for i in range(2 * COMMITS)
        ]  # fmt: skip
        connection.execute(insert(job_runs), rows)
    yield db
    db.dispose()


def _fence(database: Database, i: int, runner: str = "here") -> fencing.Fence:
    return fencing.Fence(f"job-{i}", AT, runner, 1, database.url)


def _per_commit(write: Callable[[int], None], database: Database) -> float:
    """Python calls a fenced commit makes beyond the same commit unfenced."""
    write(-1)  # warm: engines, compiled statements
    with fencing.holding(_fence(database, 2 * COMMITS - 1)):
        write(-2)
    with Calls() as bare:
        for i in range(COMMITS):
            write(i)
    with Calls() as fenced:
        for i in range(COMMITS):
            with fencing.holding(_fence(database, i)):
                write(COMMITS + i)
    return (fenced.calls - bare.calls) / COMMITS


def _heartbeats(database: Database) -> list[dt.datetime]:
    with database.sync_engine.connect() as connection:
        return list(connection.execute(select(job_runs.c.heartbeat_at).order_by(job_runs.c.id)).scalars())


def test_a_fenced_commit_on_the_sync_engine_costs_its_check_statement_alone(database) -> None:
    """Through ``Connection.execute`` the check cost 112 Python calls a commit here (SQLite, pysqlite); 41 now."""

    def write(i: int) -> None:
        with database.sync_engine.begin() as connection:
            connection.execute(insert(work).values(note=str(i)))

    extra = _per_commit(write, database)
    assert extra < 75, extra
    assert all(beat > AT for beat in _heartbeats(database)[:COMMITS])  # every check renewed its lease


async def test_a_fenced_commit_on_the_async_engine_costs_its_check_statement_alone(database) -> None:
    """Through ``Connection.execute`` the check cost 337 Python calls a commit here (SQLite, aiosqlite: its
    statement's handoff to the driver's thread alone is about 220); 263 now."""

    async def write(i: int) -> None:
        async with database.async_engine.begin() as connection:
            await connection.execute(insert(work).values(note=str(i)))

    await write(-1)  # warm: the engine, compiled statements
    with fencing.holding(_fence(database, 2 * COMMITS - 1)):
        await write(-2)
    with Calls() as bare:
        for i in range(COMMITS):
            await write(i)
    with Calls() as fenced:
        for i in range(COMMITS):
            with fencing.holding(_fence(database, i)):
                await write(COMMITS + i)
    await database.adispose()
    extra = (fenced.calls - bare.calls) / COMMITS
    assert extra < 300, extra
    assert all(beat > AT for beat in _heartbeats(database)[:COMMITS])


def test_a_commit_under_a_lost_lease_is_still_refused(database) -> None:
    """The check on the cursor matches nothing for a runner that no longer holds the row: refused."""
    with pytest.raises(LeaseLost), fencing.holding(_fence(database, 0, runner="someone else")):
        with database.sync_engine.begin() as connection:
            connection.execute(insert(work).values(note="stale"))
    with database.sync_engine.connect() as connection:
        assert connection.execute(select(work.c.note).where(work.c.note == "stale")).first() is None
