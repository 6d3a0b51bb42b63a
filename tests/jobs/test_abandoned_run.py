"""A run whose occurrence was taken over while it ran, and that never commits, is stopped within a
few lease renewals instead of running on (issue 16): its keeper finds the row gone at its next
renewal and abandons the run, whose next statement is refused (``LeaseLost``) and whose task, on
the event loop, is cancelled. The old path, the new path and both mixes, on both databases."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select, text, update

from compat.flags import FlagStore
from compat.jobs import JobRegistry, Scheduler
from compat.jobs.tables import job_runs

LEASE = 0.6  # renewed every 0.2 s
STOPPED_WITHIN = 5.0  # seconds from the take-over: a few renewals, with room for a busy machine
PATHS = {  # scheduler kind, and the stage of the job: which callable runs
    "old path": ("thread", "sync"),
    "new path": ("asyncio", "async"),
    "aio job on the thread scheduler": ("thread", "async"),
    "sync job on the asyncio scheduler": ("asyncio", "sync"),
}


@pytest.fixture(params=list(PATHS))
def path(request: pytest.FixtureRequest) -> str:
    return request.param


class Endless:
    """A job that reads forever and never commits; how each run ended, by attempt."""

    def __init__(self, database: Any, *, reads: bool = True) -> None:
        self.database, self.reads = database, reads
        self.started = threading.Event()
        self.ended: list[str] = []

    def registry(self) -> JobRegistry:
        def work(context: Any, occurrence: Any) -> None:
            self.started.set()
            try:
                while True:
                    with self.database.sync_engine.connect() as connection:
                        connection.execute(text("SELECT 1"))
                    time.sleep(0.02)
            except BaseException as exc:
                self.ended.append(type(exc).__name__)
                raise

        async def work_async(context: Any, occurrence: Any) -> None:
            self.started.set()
            try:
                while True:
                    if self.reads:
                        async with self.database.async_engine.connect() as connection:
                            await connection.execute(text("SELECT 1"))
                    await asyncio.sleep(0.02)
            except BaseException as exc:
                self.ended.append(type(exc).__name__)
                raise

        jobs = JobRegistry()
        jobs.define("endless", sync=work, aio=work_async)
        return jobs


def _take_over(database: Any) -> None:
    """What another scheduler does to an occurrence it found expired: its runner, the next attempt."""
    with database.sync_engine.begin() as connection:
        connection.execute(
            update(job_runs)
            .where(job_runs.c.job_id == "endless")
            .values(runner="another scheduler", attempts=job_runs.c.attempts + 1)
        )


def _row(database: Any) -> tuple[str, str, int]:
    with database.sync_engine.connect() as connection:
        [row] = connection.execute(select(job_runs.c.status, job_runs.c.runner, job_runs.c.attempts)).all()
    return tuple(row)


async def _run_abandoned(scheduler: Scheduler, endless: Endless, database: Any) -> Any:
    scheduler.start(paused=True)
    scheduler.add("endless", "endless", IntervalTrigger(hours=1, start_date=dt.datetime.now(dt.UTC)))
    if scheduler.kind == "thread":
        running = asyncio.ensure_future(asyncio.to_thread(scheduler.run_now, "endless"))
    else:
        running = asyncio.ensure_future(scheduler.run_now_async("endless"))
    assert await asyncio.to_thread(endless.started.wait, 30)
    await asyncio.sleep(LEASE)  # a few renewals of a lease it holds: nothing stops it
    assert not running.done() and endless.ended == []
    await asyncio.to_thread(_take_over, database)
    taken_over = time.monotonic()
    done, _ = await asyncio.wait([running], timeout=STOPPED_WITHIN)
    assert done, f"the scheduler waited on the run {STOPPED_WITHIN} s after it lost its lease"
    while not endless.ended:  # a sync job on a bridge thread, left to end: at its next statement
        assert time.monotonic() - taken_over < STOPPED_WITHIN, f"the job went on {STOPPED_WITHIN} s after the loss"
        await asyncio.sleep(0.01)
    return running.result(), time.monotonic() - taken_over


async def test_a_run_that_lost_its_lease_and_never_commits_is_stopped(jobs_database, tmp_path: Path, path: str) -> None:
    kind, stage = PATHS[path]
    flags = tmp_path / "flags.yaml"
    flags.write_text(f"version: 1\ndefault: sync\ntargets:\n  jobs.endless: {stage}\n")
    endless = Endless(jobs_database)
    store = FlagStore(flags, poll_interval=0)
    scheduler = Scheduler(endless.registry(), jobs_database, store=store, kind=kind, heartbeat=60, lease=LEASE)
    try:
        run, took = await _run_abandoned(scheduler, endless, jobs_database)
    finally:
        await scheduler.shutdown_async()
    assert endless.ended in (["LeaseLost"], ["CancelledError"]), endless.ended
    # its outcome is not recorded over the new holder's: the row is the other scheduler's, running
    assert _row(jobs_database) == ("running", "another scheduler", 2)
    assert (run.status, run.runner) == ("running", "another scheduler")
    print(f"{path}: stopped {took:.2f} s after the take-over ({endless.ended[0]})")


async def test_a_run_on_the_loop_that_never_touches_the_database_is_cancelled(jobs_database, tmp_path: Path) -> None:
    flags = tmp_path / "flags.yaml"
    flags.write_text("version: 1\ndefault: async\n")
    endless = Endless(jobs_database, reads=False)
    store = FlagStore(flags, poll_interval=0)
    scheduler = Scheduler(endless.registry(), jobs_database, store=store, kind="asyncio", heartbeat=60, lease=LEASE)
    try:
        await _run_abandoned(scheduler, endless, jobs_database)
    finally:
        await scheduler.shutdown_async()
    assert endless.ended == ["CancelledError"]
    assert _row(jobs_database) == ("running", "another scheduler", 2)
