"""On the asyncio scheduler, occurrences beyond ``max_running`` wait as bare futures, unclaimed, and
get a task when a run ends: many due at once cost no parked task each, and each still runs once."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from support import add_soon

from compat.jobs import JobRegistry, Scheduler


async def test_occurrences_beyond_the_limit_wait_without_a_task_and_run_when_a_slot_frees(jobs_database):
    release = asyncio.Event()
    running: list[str] = []
    ran: list[str] = []

    async def hold(context: Any, occurrence: Any) -> None:
        running.append(occurrence.job_id)
        await release.wait()
        running.remove(occurrence.job_id)
        ran.append(occurrence.job_id)

    jobs = JobRegistry()
    jobs.define("hold", sync=print, aio=hold)
    scheduler = Scheduler(jobs, jobs_database, kind="asyncio", heartbeat=60, max_running=2)
    scheduler.start(paused=True)
    add_soon(scheduler, *[(f"hold-{i}", "hold") for i in range(10)], every=dt.timedelta(hours=1))
    try:
        scheduler._require().resume()
        executor = scheduler._async_executor
        deadline = asyncio.get_running_loop().time() + 20
        while len(running) < 2 or len(executor._pending_futures) < 10:
            assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        tasks = [future for future in executor._pending_futures if isinstance(future, asyncio.Task)]
        assert (len(running), len(tasks), len(executor._pending_futures)) == (2, 2, 10)
        release.set()
        while len(ran) < 10:
            assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
            await asyncio.sleep(0.05)
        assert sorted(ran) == [f"hold-{i}" for i in range(10)]
    finally:
        release.set()
        await scheduler.shutdown_async()
