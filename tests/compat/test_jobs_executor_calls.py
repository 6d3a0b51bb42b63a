"""What the asyncio scheduler's executor costs per due job (``compat.jobs.executors``): a job with a free
slot and nobody ahead of it starts at once, without the future it would wait as, and a waiting job
that starts has no callback scheduled for it; counted in Python calls on the loop's thread."""

from __future__ import annotations

import asyncio
import sys
import threading
from types import SimpleNamespace
from typing import Any

from compat.jobs.executors import ClaimingAsyncExecutor

JOBS = 200


class _Runs:
    """``Runs`` as the executor sees it: each run ends at once."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    async def run_async(self, job: Any, alias: str, run_times: list, logger_name: str) -> list:
        self.ran.append(job.id)
        return []


def _executor(loop: asyncio.AbstractEventLoop, max_running: int) -> tuple[ClaimingAsyncExecutor, _Runs]:
    runs = _Runs()
    executor = ClaimingAsyncExecutor(runs, max_running)
    scheduler = SimpleNamespace(_eventloop=loop, _create_lock=threading.RLock, _dispatch_event=lambda event: None)
    executor.start(scheduler, "default")
    return executor, runs


def _job(i: int) -> Any:
    return SimpleNamespace(id=f"job-{i}", _jobstore_alias="default", max_instances=1)


async def _hand_over(max_running: int) -> tuple[float, list[str]]:
    """Python calls on this thread per job, from the hand-over to the loop until every run ended."""
    loop = asyncio.get_running_loop()
    executor, runs = _executor(loop, max_running)
    calls = 0

    def count(frame, event, arg) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        for i in range(JOBS):
            executor.submit_job(_job(i), [])
        while len(runs.ran) < JOBS or executor._pending_futures:
            await asyncio.sleep(0)
    finally:
        sys.setprofile(None)
    return calls / JOBS, runs.ran


async def test_every_job_handed_over_runs_once_in_order() -> None:
    _, ran = await _hand_over(max_running=50)
    assert ran == [f"job-{i}" for i in range(JOBS)]


async def test_a_job_with_a_free_slot_costs_no_waiting_future() -> None:
    """With the bare future every job waited as, its callback and its resolution, a job cost 67 Python
    calls here with slots for all (47 now) and 67 with slots for a quarter (55 now)."""
    free, _ = await _hand_over(max_running=JOBS)
    quarter, _ = await _hand_over(max_running=JOBS // 4)
    assert free < 56, free
    assert quarter < 61, quarter
