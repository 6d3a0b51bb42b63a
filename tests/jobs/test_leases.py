"""Leases on claimed occurrences, on both schedulers and both databases: a run that lives keeps its
occurrence; a process killed mid-run (SIGKILL, a real subprocess) leaves it ``interrupted``, and
the next scheduler runs it again once when its job says so, and leaves it for a person otherwise."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from apscheduler.triggers.interval import IntervalTrigger
from support import add_soon

from compat.jobs import JobRegistry, Scheduler

DYING = Path(__file__).with_name("dying_scheduler.py")


async def _until(condition, timeout: float = 30.0) -> None:  # generous: CI machines are busy
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.1)


def _soon() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=0.3)


def _history(scheduler: Scheduler) -> Any:
    async def read() -> dict[str, Any]:
        return {run.job_id: run for run in await asyncio.to_thread(scheduler.history, None, 100)}

    return read


async def test_a_running_occurrence_keeps_its_lease(jobs_database, kind):
    """A run three leases long, with a second scheduler sweeping all along: never interrupted."""
    ran = []

    def long(context: Any, occurrence: Any) -> None:
        ran.append(occurrence)
        time.sleep(1.8)

    async def long_async(context: Any, occurrence: Any) -> None:
        ran.append(occurrence)
        await asyncio.sleep(1.8)

    jobs = JobRegistry()
    jobs.define("long", sync=long, aio=long_async, retry_interrupted=True)
    runner = Scheduler(jobs, jobs_database, kind=kind, heartbeat=0.2, lease=0.6)
    sweeper = Scheduler(jobs, jobs_database, kind="thread", lease=0.6)  # another process's heartbeat
    runner.start()
    sweeper.start(paused=True)
    try:
        runner.add("long", "long", IntervalTrigger(hours=1, start_date=_soon()))
        history = _history(runner)

        async def finished() -> bool:
            await asyncio.to_thread(sweeper.recover)
            run = (await history()).get("long")
            return run is not None and run.status != "running"

        await _until(finished)
        run = (await history())["long"]
        assert (run.status, run.attempts, len(ran)) == ("succeeded", 1, 1)
    finally:
        await runner.shutdown_async()
        sweeper.shutdown()


async def test_a_killed_runner_leaves_interrupted_occurrences_and_retrying_jobs_run_again(
    jobs_database, database_url, kind, tmp_path
):
    editor = Scheduler(JobRegistry(), jobs_database, kind="thread")
    editor.registry.define("slow", sync=print, aio=print)
    editor.registry.define("slow-once", sync=print, aio=print)
    editor.start(paused=True)
    # passed by the time the process has started: it runs at once
    add_soon(editor, ("retried", "slow"), ("kept", "slow-once"), every=dt.timedelta(hours=1))
    editor.shutdown()

    dying = subprocess.Popen([sys.executable, str(DYING), database_url, kind, str(tmp_path), "job"])
    try:
        await _until(_exists(tmp_path / "retried", tmp_path / "kept"), timeout=60)
    finally:
        os.kill(dying.pid, signal.SIGKILL)
        dying.wait()

    ran: list[tuple[str, dt.datetime]] = []

    def fast(context: Any, occurrence: Any) -> None:
        ran.append((occurrence.job_id, occurrence.scheduled_at))

    async def fast_async(context: Any, occurrence: Any) -> None:
        ran.append((occurrence.job_id, occurrence.scheduled_at))

    jobs = JobRegistry()
    jobs.define("slow", sync=fast, aio=fast_async, retry_interrupted=True)
    jobs.define("slow-once", sync=fast, aio=fast_async)
    recovering = Scheduler(jobs, jobs_database, kind=kind, heartbeat=0.3, lease=1.0)
    history = _history(recovering)
    before = await history()
    assert {before["retried"].status, before["kept"].status} == {"running"}  # the dead process's claims
    recovering.start()
    try:

        async def settled() -> bool:
            runs = await history()
            return runs["retried"].status == "succeeded" and runs["kept"].status == "interrupted"

        await _until(settled)
        await asyncio.sleep(1.0)  # more heartbeats: nothing runs twice
        runs = await history()
        assert (runs["retried"].attempts, runs["retried"].runner) == (2, recovering.runner)
        assert runs["retried"].scheduled_at == before["retried"].scheduled_at
        assert (runs["kept"].status, runs["kept"].attempts) == ("interrupted", 1)
        assert "lease" in runs["kept"].error
        assert [job_id for job_id, _ in ran] == ["retried"]
        assert ran[0][1].replace(tzinfo=None) == before["retried"].scheduled_at
    finally:
        await recovering.shutdown_async()


def _exists(*paths: Path) -> Any:
    async def check() -> bool:
        return all(path.exists() for path in paths)

    return check
