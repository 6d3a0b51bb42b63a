"""A scheduler process stalled past its lease (SIGSTOP, a real subprocess) while a second scheduler
takes the occurrence over and completes it: when the stalled one wakes, its write is refused
(``LeaseLost``), it logs the lost lease, and its outcome is not recorded over the second one's.
Exactly one write. The old path, the new path and both mixes, on both databases."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from jobs.stalled_scheduler import LEASE, fenced_work, registry, work_metadata
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.pool import NullPool

from compat.flags import FlagStore
from compat.jobs import JobRegistry, LeaseLost, Scheduler

STALLED = Path(__file__).with_name("stalled_scheduler.py")
PATHS = {  # scheduler kind, and the stage of the job: which callable runs
    "old path": ("thread", "sync"),
    "new path": ("asyncio", "async"),
    "aio job on the thread scheduler": ("thread", "async"),
    "sync job on the asyncio scheduler": ("asyncio", "sync"),
}


@pytest.fixture(params=list(PATHS))
def path(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def work_table(jobs_database: Any) -> Any:
    work_metadata.create_all(jobs_database.sync_engine)
    with jobs_database.sync_engine.begin() as connection:
        connection.execute(fenced_work.delete())
    yield fenced_work
    work_metadata.drop_all(jobs_database.sync_engine)


async def _until(condition, timeout: float = 60.0) -> None:  # generous: CI machines are busy
    deadline = asyncio.get_running_loop().time() + timeout
    while not await asyncio.to_thread(condition):
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)


def _stop_outside_a_write(pid: int, database_url: str) -> None:
    """SIGSTOP, again until the process is stopped outside a write: one stopped inside its own lease
    renewal or heartbeat would hold SQLite's write lock, or PostgreSQL's lock on the rows it updated, for
    as long as it stays stopped, and nobody could take over (a stall of the whole database, not the one
    this test is about)."""
    for _ in range(100):
        os.kill(pid, signal.SIGSTOP)
        time.sleep(0.05)  # a statement it sent just before it stopped: run by the server, locks taken
        if not _write_locked(database_url):
            return
        os.kill(pid, signal.SIGCONT)
        time.sleep(0.01)
    raise AssertionError("the stalled process was inside a write at every try")


def _write_locked(database_url: str) -> bool:
    """Another connection holds SQLite's write lock, or is inside a transaction on PostgreSQL's database
    (whose writers lock the rows they update until they commit)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        engine = create_engine(url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return bool(connection.execute(text(_IN_A_TRANSACTION)).scalar())
        finally:
            engine.dispose()
    connection = sqlite3.connect(url.database, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        connection.close()


_IN_A_TRANSACTION = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND (state <> 'idle' OR backend_xid IS NOT NULL)
"""


def _writers(database: Any) -> list[str]:
    with database.sync_engine.connect() as connection:
        return sorted(connection.execute(select(fenced_work.c.writer)).scalars())


async def test_a_runner_stalled_past_its_lease_cannot_write_after_the_take_over(
    jobs_database, database_url, work_table, tmp_path, path
):
    kind, stage = PATHS[path]
    flags = tmp_path / "flags.yaml"
    flags.write_text(f"version: 1\ndefault: sync\ntargets:\n  jobs.work: {stage}\n")
    editor = Scheduler(JobRegistry(), jobs_database, kind="thread")
    editor.registry.define("work", sync=print, aio=print)
    editor.start(paused=True)
    editor.add("work", "work", IntervalTrigger(hours=1, start_date=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=0.3)))
    editor.shutdown()

    log = tmp_path / "stalled.log"
    with log.open("w") as stderr:
        stalled = subprocess.Popen(
            [sys.executable, str(STALLED), database_url, kind, str(flags), str(tmp_path)], stderr=stderr
        )
    taking_over = Scheduler(
        registry(jobs_database, "took over"),
        jobs_database,
        store=FlagStore(flags, poll_interval=0),
        kind=kind,
        heartbeat=0.2,
        lease=LEASE,
    )
    try:
        await _until((tmp_path / "started").exists)
        await asyncio.to_thread(_stop_outside_a_write, stalled.pid, database_url)  # past its lease: no renewals
        (tmp_path / "go").write_text("go")  # what it will do first when it wakes: write
        taking_over.start()

        def completed() -> bool:
            [run] = taking_over.history("work")
            return run.status == "succeeded"

        await _until(completed)
        [run] = await asyncio.to_thread(taking_over.history, "work")
        assert (run.attempts, run.runner) == (2, taking_over.runner)
        assert await asyncio.to_thread(_writers, jobs_database) == ["took over"]

        os.kill(stalled.pid, signal.SIGCONT)
        await _until((tmp_path / "done").exists)
        await _until(lambda: "lost lease" in log.read_text())
    finally:
        os.kill(stalled.pid, signal.SIGCONT)
        os.kill(stalled.pid, signal.SIGKILL)
        stalled.wait()
        await taking_over.shutdown_async()
    assert await asyncio.to_thread(_writers, jobs_database) == ["took over"]  # its write was refused
    [after] = await asyncio.to_thread(taking_over.history, "work")
    assert (after.status, after.attempts, after.runner, after.finished_at) == (
        "succeeded",
        2,
        taking_over.runner,
        run.finished_at,
    )
    said = log.read_text()
    assert LeaseLost.__name__ in said or "its writes were refused" in said, said


async def test_a_run_that_holds_its_lease_commits_and_a_late_commit_of_a_finished_run_is_not_fenced(
    jobs_database, work_table, kind
):
    """Fencing costs nothing to a run that holds its lease, and leaves commits after it alone."""
    jobs = registry(jobs_database, "runner")
    scheduler = Scheduler(jobs, jobs_database, kind=kind, lease=LEASE)
    scheduler.start(paused=True)
    try:
        scheduler.add("work", "work", IntervalTrigger(hours=1))
        if kind == "thread":
            run = await asyncio.to_thread(scheduler.run_now, "work")
        else:
            run = await scheduler.run_now_async("work")
    finally:
        scheduler.shutdown()
    assert (run.status, run.attempts) == ("succeeded", 1)
    assert await asyncio.to_thread(_writers, jobs_database) == ["runner"]
