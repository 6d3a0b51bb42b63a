"""``Scheduler``: a registry's jobs on one database, run by APScheduler's thread or asyncio scheduler.

The scheduler class is picked when it starts, by the stage of ``jobs``; which callable runs is
picked per run (``side``), by the stage of ``jobs.<name>``, so a rollback takes effect at the next
run without a restart. Schedules live in the database store, the heartbeat in a local one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import logging
import os
import secrets
import socket
from collections.abc import Callable
from typing import Any

from apscheduler.events import JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import select

from compat import bridge
from compat.db import Database
from compat.flags import FlagStore
from compat.jobs.executors import (
    ClaimingAsyncExecutor,
    ClaimingThreadExecutor,
    LoopExecutor,
    OffLoopAsyncIOScheduler,
    StoppedBackgroundScheduler,
)
from compat.jobs.leases import DEFAULT_LEASE
from compat.jobs.registry import JobDefinition, JobRegistry, registered_job
from compat.jobs.runs import Runs, utc_now
from compat.jobs.stores import BatchingJobStore, MigratedJobStore
from compat.jobs.tables import JOBS_TABLE, JobRun, job_runs

log = logging.getLogger(__name__)
# APScheduler logs every run at INFO; the heartbeat's executor would log one every few seconds.
logging.getLogger("apscheduler.executors.local").setLevel(logging.WARNING)

STORE = "default"  # the database store: schedules that survive a restart
LOCAL = "local"  # the in-memory store: the heartbeat


class Scheduler:
    """A registry's jobs on one database, run by the thread or the asyncio scheduler.

    ``kind`` is ``"thread"`` or ``"asyncio"``; by default the stage of ``target`` picks it at
    ``start()``. An asyncio scheduler starts inside the running loop it will use. ``context`` is
    handed to every job callable first (the application, for instance). ``lease``: seconds
    without a sign of life before another scheduler counts a running occurrence as interrupted;
    every heartbeat looks for those and runs again the ones whose job retries them. At most
    ``max_workers`` occurrences run at once on the thread scheduler (its pool), ``max_running`` on
    the asyncio one (the others wait, unclaimed, so another process may take them).
    """

    def __init__(
        self,
        registry: JobRegistry,
        database: Database,
        *,
        context: Any = None,
        store: FlagStore | None = None,
        kind: str | None = None,
        target: str = "jobs",
        heartbeat: float = 60.0,
        on_heartbeat: tuple[Callable[[Scheduler], Any], ...] = (),
        max_workers: int = 4,
        max_running: int = 100,
        timezone: str = "UTC",
        lease: float = DEFAULT_LEASE,
    ) -> None:
        if kind not in (None, "thread", "asyncio"):
            raise ValueError(f"kind must be 'thread' or 'asyncio', not {kind!r}")
        self.registry = registry
        self.database = database
        self.context = context
        self.store = store
        self.target = target
        self.heartbeat = heartbeat
        self.on_heartbeat = on_heartbeat
        self.max_workers = max_workers
        self.max_running = max_running
        self.timezone = timezone
        self.lease = lease
        self.runner = self._runner_name("paused")
        self._kind = kind
        self._started_kind: str | None = None  # what start() built: fixed until shutdown
        self._runs = Runs(self)
        self._scheduler: BaseScheduler | None = None

    @property
    def kind(self) -> str:
        """The scheduler's colour: given, else the one started (a flip or a rollback of the target
        while it runs changes which stack each job runs, not the loop its heartbeat is on), else
        the target's stage now."""
        if self._kind is not None:
            return self._kind
        if self._started_kind is not None:
            return self._started_kind
        if self.store is not None and self.store.stage(self.target).serves_new:
            return "asyncio"
        return "thread"

    @property
    def running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    # --- lifecycle

    def start(self, *, paused: bool = False) -> None:
        """Start (``paused``: only to read and edit schedules, running nothing)."""
        if self._scheduler is not None:
            raise RuntimeError("this scheduler is already started")
        kind = self._started_kind = self.kind
        self.runner = self._runner_name(kind)
        store = BatchingJobStore if kind == "asyncio" else MigratedJobStore
        jobstores = {STORE: store(engine=self.database.sync_engine, tablename=JOBS_TABLE), LOCAL: MemoryJobStore()}
        defaults = {"coalesce": True, "misfire_grace_time": None, "max_instances": 1}
        if kind == "asyncio":
            self._async_executor = ClaimingAsyncExecutor(self._runs, self.max_running)
            executors = {"default": self._async_executor, LOCAL: LoopExecutor()}
            scheduler: BaseScheduler = OffLoopAsyncIOScheduler(
                jobstores=jobstores, executors=executors, job_defaults=defaults, timezone=self.timezone
            )
        else:
            executors = {"default": ClaimingThreadExecutor(self._runs, self.max_workers), LOCAL: ThreadPoolExecutor(1)}
            scheduler = StoppedBackgroundScheduler(
                jobstores=jobstores, executors=executors, job_defaults=defaults, timezone=self.timezone, daemon=True
            )
        beat = self._beat_async if kind == "asyncio" else self._beat
        if not paused:
            # The first beat at once, on the heartbeat's own executor (a thread, or a task on the
            # loop), never in the caller's thread: ``start`` is called from an ASGI lifespan, on
            # the event loop, where sync job code bridged to async repositories cannot wait.
            scheduler.add_job(
                beat,
                "interval",
                seconds=self.heartbeat,
                id="asyncshift-heartbeat",
                jobstore=LOCAL,
                executor=LOCAL,
                next_run_time=dt.datetime.now(dt.UTC),
            )
        self._scheduler = scheduler
        scheduler.start(paused=paused)

    @staticmethod
    def _runner_name(kind: str) -> str:
        """Host, pid, kind and a token: a later process with a reused pid never renews a dead one's leases."""
        return f"{socket.gethostname()}:{os.getpid()}:{kind}:{secrets.token_hex(3)}"

    def shutdown(self, wait: bool = True) -> None:
        if self._scheduler is not None:
            if self._scheduler.running:
                self._scheduler.shutdown(wait=wait)
            self._scheduler = None
        self._started_kind = None

    async def shutdown_async(self, timeout: float = 10.0) -> None:
        """Stop after the running occurrences and heartbeat have finished (at most ``timeout`` s).

        APScheduler's asyncio executor cancels its tasks at shutdown; a task cancelled inside its
        transaction, on a loop that then stops running, keeps its row locks until the process
        ends (and blocks the next writer). The thread scheduler's runs may be waiting on this very
        loop (sync code bridged to async repositories): stopped without waiting, they are cut off
        when the loop ends. So: no new runs, let the running ones end (the loop still serving
        them), then stop.
        """
        scheduler = self._scheduler
        if scheduler is None or not scheduler.running:
            self.shutdown(wait=False)
            return
        scheduler.pause()
        if isinstance(scheduler, OffLoopAsyncIOScheduler):
            deadline = asyncio.get_running_loop().time() + timeout
            await asyncio.sleep(0.01)  # runs submitted from the store's thread just before the pause
            while running := [
                future
                for executor in scheduler._executors.values()
                for future in getattr(executor, "_pending_futures", ())
                if not future.done()
            ]:
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    break
                await asyncio.wait(running, timeout=left)
            self.shutdown(wait=False)
            return
        # Not ``shutdown(wait=True)``: APScheduler holds its job store lock while it waits, and a
        # running heartbeat that reads the schedules (``jobs()``) would wait on that lock for ever.
        deadline = asyncio.get_running_loop().time() + timeout
        while _running_in(scheduler):
            if asyncio.get_running_loop().time() > deadline:
                log.warning("scheduler runs still going after %s s at shutdown; left to end on their own", timeout)
                break
            await asyncio.sleep(0.02)
        self.shutdown(wait=False)

    def _beat(self) -> None:
        """The heartbeat on the thread scheduler: interrupted occurrences first (see ``Runs.recover``),
        then the callbacks in order, awaitables run to the end. Nothing once shut down (a beat
        submitted as the scheduler stopped)."""
        if not self.running:
            return
        try:
            self.recover()
        except Exception:
            log.exception("looking for interrupted occurrences failed")
        for callback in self.on_heartbeat:
            if not self.running:
                return
            try:
                result = callback(self)
                if inspect.isawaitable(result):
                    bridge.run_sync(result)
            except Exception:
                log.exception("scheduler heartbeat callback %r failed", callback)

    async def _beat_async(self) -> None:
        """The heartbeat on the asyncio scheduler: awaitable results are awaited on its loop."""
        if not self.running:
            return
        try:
            await self.recover_async()
        except Exception:
            log.exception("looking for interrupted occurrences failed")
        for callback in self.on_heartbeat:
            if not self.running:
                return
            try:
                result = callback(self)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("scheduler heartbeat callback %r failed", callback)

    def recover(self) -> int:
        """Mark occurrences whose runner stopped renewing its lease ``interrupted``, and run again,
        in this thread, those whose job retries them; how many ran. Every heartbeat does this."""
        return len(self._runs.recover(STORE))

    async def recover_async(self) -> int:
        """Twin of ``recover``: the occurrences run again on the loop."""
        return len(await self._runs.recover_async(STORE))

    def wakeup(self) -> None:
        """Look at the job store now (schedules another process changed)."""
        self._require().wakeup()

    # --- schedules

    def add(self, job_id: str, definition: str, trigger: Any, *args: Any, name: str | None = None) -> Job:
        """Schedule ``definition`` (a registry name) under ``job_id``, replacing a job of that id."""
        self.registry[definition]  # refuse an unknown name now, not at run time
        return self._require().add_job(
            registered_job,
            trigger,
            args=(definition, *args),
            id=job_id,
            name=name or job_id,
            jobstore=STORE,
            replace_existing=True,
        )

    def remove(self, job_id: str) -> None:
        """Remove a scheduled job; ``LookupError`` if there is none."""
        from apscheduler.jobstores.base import JobLookupError

        try:
            self._require().remove_job(job_id, jobstore=STORE)
        except JobLookupError:
            raise LookupError(f"no scheduled job {job_id!r}") from None

    def jobs(self) -> list[Job]:
        """The scheduled jobs (database store), by next run time."""
        return self._require().get_jobs(jobstore=STORE)

    def find(self, job_id: str) -> Job | None:
        """The scheduled job ``job_id``, None when there is none."""
        return self._require().get_job(job_id, jobstore=STORE)

    def job(self, job_id: str) -> Job:
        job = self._require().get_job(job_id, jobstore=STORE)
        if job is None:
            raise LookupError(f"no scheduled job {job_id!r}")
        return job

    def definition_of(self, job: Job) -> tuple[JobDefinition, tuple[Any, ...]]:
        name, *args = job.args
        return self.registry[name], tuple(args)

    def side(self, definition: JobDefinition) -> str:
        """Which callable runs now: ``old`` (sync) or ``new`` (aio), by the stage of ``jobs.<name>``."""
        if self.store is None:
            return "new" if self.kind == "asyncio" else "old"
        return "new" if self.store.stage(f"{self.target}.{definition.name}").serves_new else "old"

    # --- runs

    def run_now(self, job_id: str) -> JobRun:
        """Run a scheduled job now, in this thread, recorded as an occurrence at the current time."""
        job = self.job(job_id)
        events = self._runs.run_blocking(job, STORE, [utc_now()], __name__)
        return self._outcome(job_id, events)

    async def run_now_async(self, job_id: str) -> JobRun:
        """Twin of ``run_now`` on the event loop."""
        job = self.job(job_id)
        events = await self._runs.run_async(job, STORE, [utc_now()], __name__)
        return self._outcome(job_id, events)

    def _outcome(self, job_id: str, events: list[JobExecutionEvent]) -> JobRun:
        if not events:
            raise LookupError(f"job {job_id!r} was claimed by another scheduler for this very moment")
        return self.history(job_id, limit=1)[0]

    def history(self, job_id: str | None = None, limit: int = 20) -> list[JobRun]:
        """Recorded occurrences, newest first."""
        query = select(job_runs).order_by(job_runs.c.scheduled_at.desc(), job_runs.c.id.desc()).limit(limit)
        if job_id is not None:
            query = query.where(job_runs.c.job_id == job_id)
        with self.database.sync_engine.connect() as connection:
            return [JobRun.from_row(row) for row in connection.execute(query)]

    def _require(self) -> BaseScheduler:
        if self._scheduler is None:
            raise RuntimeError("start the scheduler first (start(paused=True) to edit schedules only)")
        return self._scheduler


def _running_in(scheduler: BaseScheduler) -> int:
    """How many runs (occurrences and heartbeats) ``scheduler``'s executors have going."""
    return sum(sum(executor._instances.values()) for executor in scheduler._executors.values())
