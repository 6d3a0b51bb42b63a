"""APScheduler 3, adapted: executors that run occurrences through ``Runs``, and an asyncio
scheduler that reads its (sync) job store off the loop. The two go together: the store's worker
thread submits jobs, so the asyncio executor starts its tasks on the loop from there.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import functools
import logging
import threading
from typing import Any

from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED

from compat.jobs.runs import Runs
from compat.jobs.stores import BatchingJobStore

log = logging.getLogger(__name__)


class ClaimingThreadExecutor(ThreadPoolExecutor):
    """APScheduler's thread pool executor, running occurrences through ``Runs.run_blocking``."""

    def __init__(self, runs: Runs, max_workers: int) -> None:
        super().__init__(max_workers, pool_kwargs={"thread_name_prefix": "asyncshift-job"})
        self._runs = runs

    def _do_submit_job(self, job: Job, run_times: list[dt.datetime]) -> None:
        def callback(future: Any) -> None:
            if future.exception() is not None:
                self._run_job_error(job.id, future.exception(), future.exception().__traceback__)
            else:
                self._run_job_success(job.id, future.result())

        future = self._pool.submit(self._runs.run_blocking, job, job._jobstore_alias, run_times, self._logger.name)
        future.add_done_callback(callback)


class ClaimingAsyncExecutor(AsyncIOExecutor):
    """APScheduler's asyncio executor, running occurrences as tasks through ``Runs.run_async``, at
    most ``max_running`` at once. Jobs are submitted from the store's worker thread (see
    ``OffLoopAsyncIOScheduler``) and handed to the loop; one beyond the limit waits, unclaimed (so
    another process may take it), as a bare future, and its task is made when a run ends: 1000
    due jobs are 100 tasks and 900 futures, not 1000 tasks parked on a semaphore."""

    def __init__(self, runs: Runs, max_running: int) -> None:
        super().__init__()
        self._runs = runs
        self._max_running = max_running
        self._running = 0
        self._handed: list[tuple[Job, list[dt.datetime]]] = []  # submitted, not yet on the loop
        self._handover = threading.Lock()
        self._waiting: collections.deque[tuple[Job, list[dt.datetime], asyncio.Future, Any]] = collections.deque()

    def _do_submit_job(self, job: Job, run_times: list[dt.datetime]) -> None:
        """Hand the job to the loop; one wake-up of the loop for the jobs submitted until it takes
        them (a round of 1000 due jobs was 1000 writes to the loop's self-pipe)."""
        with self._handover:
            self._handed.append((job, run_times))
            if len(self._handed) > 1:  # the loop is already told
                return
        self._eventloop.call_soon_threadsafe(self._take_handed)

    def _take_handed(self) -> None:
        with self._handover:
            handed, self._handed = self._handed, []
        for job, run_times in handed:
            if not self._waiting and self._running < self._max_running:  # a free slot, nobody ahead: now
                self._running += 1
                self._start(job, run_times)
                continue
            waiting = self._eventloop.create_future()  # what a shutdown waits for (or cancels) until it starts
            given_up = functools.partial(self._given_up, job)
            waiting.add_done_callback(given_up)
            self._pending_futures.add(waiting)
            self._waiting.append((job, run_times, waiting, given_up))
        self._start_waiting()

    def _given_up(self, job: Job, waiting: asyncio.Future) -> None:
        if waiting.cancelled():  # the executor shut down before it started
            self._pending_futures.discard(waiting)
            self._run_job_error(job.id, asyncio.CancelledError(), None)

    def _start_waiting(self) -> None:
        while self._waiting and self._running < self._max_running:
            job, run_times, waiting, given_up = self._waiting.popleft()
            if waiting.done():  # cancelled
                continue
            self._running += 1
            self._start(job, run_times)
            waiting.remove_done_callback(given_up)  # started: no callback to schedule for it
            waiting.set_result(None)  # (a shutdown waiting on it moves on to its task)
            self._pending_futures.discard(waiting)

    def _start(self, job: Job, run_times: list[dt.datetime]) -> None:
        def callback(task: asyncio.Task) -> None:
            self._pending_futures.discard(task)
            self._running -= 1
            if task.cancelled():
                self._run_job_error(job.id, asyncio.CancelledError(), None)
            elif task.exception() is not None:
                self._run_job_error(job.id, task.exception(), task.exception().__traceback__)
            else:
                self._run_job_success(job.id, task.result())
            self._start_waiting()

        task = self._eventloop.create_task(self._runs.run_async(job, job._jobstore_alias, run_times, self._logger.name))
        task.add_done_callback(callback)
        self._pending_futures.add(task)


class LoopExecutor(AsyncIOExecutor):
    """APScheduler's asyncio executor for the heartbeat, starting its task on the loop's own thread:
    the store's worker thread submits it (see ``OffLoopAsyncIOScheduler``), and ``create_task``
    from another thread is not safe (nor does it wake the loop). Never cancels it."""

    def _do_submit_job(self, job: Job, run_times: list[dt.datetime]) -> None:
        submit = super()._do_submit_job
        self._eventloop.call_soon_threadsafe(submit, job, run_times)

    def shutdown(self, wait: bool = True) -> None:
        """A heartbeat running at shutdown is left to end: cancelled inside its transaction, it
        would keep its locks (see ``Scheduler.shutdown_async``)."""
        self._pending_futures.clear()


class StoppedBackgroundScheduler(BackgroundScheduler):
    """APScheduler's thread scheduler, which does nothing more once shut down.

    APScheduler 3 wakes its thread at shutdown and looks for due jobs once more: a job due at
    that moment is handed to executors already shut down (it fails) and its next run time is
    moved on anyway, so the occurrence is lost, never run nor recorded. A stopped scheduler
    here looks at nothing. A one-off job another scheduler on the same database ran and removed
    first is looked for again at once, not let stop this scheduler's thread."""

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        try:
            return super()._process_jobs()
        except JobLookupError as exc:
            log.info("a due job was removed by another scheduler meanwhile: %s", exc)
            return 0


class OffLoopAsyncIOScheduler(AsyncIOScheduler):
    """``AsyncIOScheduler`` that reads and updates its job store in a worker thread.

    APScheduler 3's SQLAlchemy store is sync. Run on the loop, it can wait on a SQLite write lock
    held by a job's async transaction, which needs that very loop to finish: the loop would stall
    until SQLite's busy timeout. Off the loop, the store waits and the transaction completes. A
    ``BatchingJobStore`` hands every due job over before it writes their next run times, at once.
    """

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:  # see StoppedBackgroundScheduler
            return None
        stores = [store for store in self._jobstores.values() if isinstance(store, BatchingJobStore)]
        with contextlib.ExitStack() as batches:
            for store in stores:
                batches.enter_context(store.batched())
            try:
                return super()._process_jobs()
            except JobLookupError as exc:  # see StoppedBackgroundScheduler
                log.info("a due job was removed by another scheduler meanwhile: %s", exc)
                return 0

    def wakeup(self) -> None:
        loop = self._eventloop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wakeup_on_loop)

    def _wakeup_on_loop(self) -> None:
        self._stop_timer()
        if self._eventloop is None:
            return
        self._eventloop.run_in_executor(None, self._process_jobs).add_done_callback(self._processed)

    def _processed(self, future: asyncio.Future) -> None:
        if future.cancelled() or self._eventloop is None or not self.running:
            return
        if future.exception() is not None:
            log.error("looking for due jobs failed: %s", future.exception())
            self._start_timer(self.jobstore_retry_interval)
        else:
            self._start_timer(future.result())
