"""One job registry, run by APScheduler 3's thread scheduler (old) or its asyncio scheduler (new).

A ``JobDefinition`` has a name and two callables, ``sync`` and ``aio``, doing the same work on
each stack. A ``Scheduler`` runs the definitions of a ``JobRegistry`` from schedules kept in the
application's database (APScheduler's ``SQLAlchemyJobStore``), so a restart keeps them:

* the scheduler class is picked when it starts, by the stage of ``jobs`` (``BackgroundScheduler``
  up to ``shadow``, ``AsyncIOScheduler`` from ``live``); which callable runs is picked per run, by
  the stage of ``jobs.<name>``, so a rollback takes effect at the next run without a restart.
  Jobs write, so they never run on both sides;
* a run missed while no scheduler was up runs once when one starts (``coalesce``, no grace limit);
* every occurrence is claimed before it runs, by inserting ``(job id, scheduled time)`` into
  ``job_runs`` under a unique key (and ``pg_try_advisory_xact_lock`` on PostgreSQL, so a second
  claimer gives up at once instead of queueing on the index): two schedulers on one database run
  an occurrence once. The row then records the outcome; a failing job is recorded ``failed`` and
  the scheduler carries on;
* a heartbeat wakes the scheduler every ``heartbeat`` seconds, so it sees jobs that another
  process added, and runs the ``on_heartbeat`` callbacks (e.g. keeping schedules in line with
  the application's settings).

Public API: ``JobDefinition``, ``JobRegistry``, ``Occurrence``, ``JobRun``, ``Scheduler``,
``jobs_metadata`` (``job_runs`` and ``apscheduler_jobs``, for migrations).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import os
import inspect
import socket
import traceback
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Unicode,
    UniqueConstraint,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from compat import bridge
from compat.db import Database
from compat.flags import FlagStore

__all__ = ["JobDefinition", "JobRegistry", "JobRun", "Occurrence", "Scheduler", "apscheduler_jobs", "job_runs", "jobs_metadata"]

log = logging.getLogger(__name__)
# APScheduler logs every run at INFO; the heartbeat's executor would log one every few seconds.
logging.getLogger("apscheduler.executors.local").setLevel(logging.WARNING)

JOBS_TABLE = "apscheduler_jobs"
STORE = "default"  # the database store: schedules that survive a restart
LOCAL = "local"  # the in-memory store: the heartbeat

jobs_metadata = MetaData()
job_runs = Table(
    "job_runs",
    jobs_metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", String(191), nullable=False),
    Column("scheduled_at", DateTime, nullable=False),  # UTC, naive: equal on every database
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=True),
    Column("status", String(16), nullable=False),  # running | succeeded | failed
    Column("side", String(8), nullable=False),  # old | new: which callable ran
    Column("runner", String(200), nullable=False),  # host, pid and scheduler that claimed it
    Column("error", Text, nullable=True),
    UniqueConstraint("job_id", "scheduled_at", name="uq_job_runs_job_id_scheduled_at"),
)
# APScheduler's own table, declared here so a migration creates it (the store would otherwise).
apscheduler_jobs = Table(
    JOBS_TABLE,
    jobs_metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


# ------------------------------------------------------------------------------------ registry


@dataclass(frozen=True)
class Occurrence:
    """Which scheduled run a callable is doing: its job and the time it was due (UTC)."""

    job_id: str
    scheduled_at: dt.datetime


@dataclass(frozen=True)
class JobDefinition:
    """One kind of job, twice: ``sync(context, occurrence, *args)`` and ``await aio(...)`` do the same work."""

    name: str
    sync: Callable[..., Any]
    aio: Callable[..., Awaitable[Any]]
    description: str = ""


class JobRegistry:
    """The job definitions an application offers, by name."""

    def __init__(self) -> None:
        self._definitions: dict[str, JobDefinition] = {}

    def define(self, name: str, *, sync: Callable[..., Any], aio: Callable[..., Awaitable[Any]], description: str = "") -> JobDefinition:
        if name in self._definitions:
            raise ValueError(f"job {name!r} is already defined")
        definition = JobDefinition(name, sync, aio, description)
        self._definitions[name] = definition
        return definition

    def __getitem__(self, name: str) -> JobDefinition:
        try:
            return self._definitions[name]
        except KeyError:
            raise LookupError(f"no job definition named {name!r}; defined: {', '.join(sorted(self._definitions)) or '(none)'}") from None

    def __iter__(self) -> Iterator[JobDefinition]:
        return iter(self._definitions.values())


def registered_job(*args: Any, **kwargs: Any) -> None:
    """What the job store records as every job's function; ``Scheduler``'s executors run the
    definition named in the job's first argument instead. Reached only without them."""
    raise RuntimeError("compat.jobs jobs run through compat.jobs.Scheduler, not a bare APScheduler")


# ---------------------------------------------------------------------------------------- runs


@dataclass(frozen=True)
class JobRun:
    """One recorded occurrence (a ``job_runs`` row)."""

    job_id: str
    scheduled_at: dt.datetime
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    side: str
    runner: str
    error: str | None

    @classmethod
    def from_row(cls, row: Any) -> JobRun:
        return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})


def _utc_naive(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None) if value.tzinfo else value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _lock_key(job_id: str, scheduled_at: dt.datetime) -> int:
    digest = hashlib.blake2b(f"{job_id}@{scheduled_at.isoformat()}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _claim_row(job_id: str, scheduled_at: dt.datetime, side: str, runner: str) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "scheduled_at": _utc_naive(scheduled_at),
        "started_at": _utc_naive(_now()),
        "status": "running",
        "side": side,
        "runner": runner,
    }


def _finish(job_id: str, scheduled_at: dt.datetime, error: BaseException | None) -> Any:
    outcome = {"finished_at": _utc_naive(_now()), "status": "failed" if error else "succeeded"}
    if error is not None:
        outcome["error"] = f"{type(error).__name__}: {error}"[:2000]
    return (
        update(job_runs)
        .where(job_runs.c.job_id == job_id, job_runs.c.scheduled_at == _utc_naive(scheduled_at))
        .values(**outcome)
    )


class _Runs:
    """Claims, runs and records occurrences, in a scheduler thread (sync) or on the loop (async)."""

    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler

    # --- sync: the thread scheduler, and ``run_now`` from sync code

    def claim(self, job_id: str, scheduled_at: dt.datetime, side: str) -> bool:
        database = self.scheduler.database
        try:
            with database.sync_engine.begin() as connection:
                if database.backend == "postgresql":
                    key = _lock_key(job_id, scheduled_at)
                    if not connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}).scalar():
                        return False
                connection.execute(insert(job_runs).values(**_claim_row(job_id, scheduled_at, side, self.scheduler.runner)))
        except IntegrityError:
            return False
        return True

    def record(self, job_id: str, scheduled_at: dt.datetime, error: BaseException | None) -> None:
        with self.scheduler.database.sync_engine.begin() as connection:
            connection.execute(_finish(job_id, scheduled_at, error))

    def run_blocking(self, job: Job, jobstore_alias: str, run_times: list[dt.datetime], logger_name: str) -> list[JobExecutionEvent]:
        """Twin of APScheduler's ``run_job``, with the claim before the call and the record after."""
        events = []
        for run_time in run_times:
            definition, args = self.scheduler.definition_of(job)
            side = self.scheduler.side(definition)
            if not self.claim(job.id, run_time, side):
                log.info("job %s at %s: claimed by another scheduler, skipped", job.id, run_time)
                continue
            occurrence = Occurrence(job.id, run_time)
            try:
                if side == "new":
                    retval = bridge.run_sync(definition.aio(self.scheduler.context, occurrence, *args))
                else:
                    retval = definition.sync(self.scheduler.context, occurrence, *args)
            except Exception as exc:
                events.append(self._failed(job, jobstore_alias, run_time, exc))
                self.record(job.id, run_time, exc)
            else:
                events.append(JobExecutionEvent(EVENT_JOB_EXECUTED, job.id, jobstore_alias, run_time, retval=retval))
                self.record(job.id, run_time, None)
        return events

    # --- async: the asyncio scheduler, and ``run_now_async``

    async def claim_async(self, job_id: str, scheduled_at: dt.datetime, side: str) -> bool:
        database = self.scheduler.database
        try:
            async with database.async_engine.begin() as connection:
                if database.backend == "postgresql":
                    key = _lock_key(job_id, scheduled_at)
                    if not (await connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key})).scalar():
                        return False
                await connection.execute(insert(job_runs).values(**_claim_row(job_id, scheduled_at, side, self.scheduler.runner)))
        except IntegrityError:
            return False
        return True

    async def record_async(self, job_id: str, scheduled_at: dt.datetime, error: BaseException | None) -> None:
        async with self.scheduler.database.async_engine.begin() as connection:
            await connection.execute(_finish(job_id, scheduled_at, error))

    async def run_async(self, job: Job, jobstore_alias: str, run_times: list[dt.datetime], logger_name: str) -> list[JobExecutionEvent]:
        """Twin of ``run_blocking`` on the event loop."""
        events = []
        for run_time in run_times:
            definition, args = self.scheduler.definition_of(job)
            side = self.scheduler.side(definition)
            if not await self.claim_async(job.id, run_time, side):
                log.info("job %s at %s: claimed by another scheduler, skipped", job.id, run_time)
                continue
            occurrence = Occurrence(job.id, run_time)
            try:
                if side == "new":
                    retval = await definition.aio(self.scheduler.context, occurrence, *args)
                else:
                    retval = await bridge.call_async(definition.sync, self.scheduler.context, occurrence, *args)
            except Exception as exc:
                events.append(self._failed(job, jobstore_alias, run_time, exc))
                await self.record_async(job.id, run_time, exc)
            else:
                events.append(JobExecutionEvent(EVENT_JOB_EXECUTED, job.id, jobstore_alias, run_time, retval=retval))
                await self.record_async(job.id, run_time, None)
        return events

    @staticmethod
    def _failed(job: Job, jobstore_alias: str, run_time: dt.datetime, exc: BaseException) -> JobExecutionEvent:
        log.error("job %s (scheduled at %s) failed: %s: %s", job.id, run_time, type(exc).__name__, exc)
        formatted = "".join(traceback.format_tb(exc.__traceback__))
        return JobExecutionEvent(EVENT_JOB_ERROR, job.id, jobstore_alias, run_time, exception=exc, traceback=formatted)


# ----------------------------------------------------------------------------------- executors


class _ClaimingThreadExecutor(ThreadPoolExecutor):
    """APScheduler's thread pool executor, running occurrences through ``_Runs.run_blocking``."""

    def __init__(self, runs: _Runs, max_workers: int) -> None:
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


class _ClaimingAsyncExecutor(AsyncIOExecutor):
    """APScheduler's asyncio executor, running occurrences as tasks through ``_Runs.run_async``.
    Jobs are submitted from the store's worker thread (see ``_OffLoopAsyncIOScheduler``), so the
    task is created on the loop through ``call_soon_threadsafe``."""

    def __init__(self, runs: _Runs) -> None:
        super().__init__()
        self._runs = runs

    def _do_submit_job(self, job: Job, run_times: list[dt.datetime]) -> None:
        self._eventloop.call_soon_threadsafe(self._start, job, run_times)

    def _start(self, job: Job, run_times: list[dt.datetime]) -> None:
        def callback(task: asyncio.Task) -> None:
            self._pending_futures.discard(task)
            if task.cancelled():
                self._run_job_error(job.id, asyncio.CancelledError(), None)
            elif task.exception() is not None:
                self._run_job_error(job.id, task.exception(), task.exception().__traceback__)
            else:
                self._run_job_success(job.id, task.result())

        task = self._eventloop.create_task(self._runs.run_async(job, job._jobstore_alias, run_times, self._logger.name))
        task.add_done_callback(callback)
        self._pending_futures.add(task)


class _OffLoopAsyncIOScheduler(AsyncIOScheduler):
    """``AsyncIOScheduler`` that reads and updates its job store in a worker thread.

    APScheduler 3's SQLAlchemy store is sync. Run on the loop, it can wait on a SQLite write lock
    held by a job's async transaction, which needs that very loop to finish: the loop would stall
    until SQLite's busy timeout. Off the loop, the store waits and the transaction completes.
    """

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


# ----------------------------------------------------------------------------------- scheduler


class Scheduler:
    """A registry's jobs on one database, run by the thread or the asyncio scheduler.

    ``kind`` is ``"thread"`` or ``"asyncio"``; by default the stage of ``target`` picks it at
    ``start()``. An asyncio scheduler starts inside the running loop it will use. ``context`` is
    handed to every job callable first (the application, for instance).
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
        timezone: str = "UTC",
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
        self.timezone = timezone
        self.runner = f"{socket.gethostname()}:{os.getpid()}"
        self._kind = kind
        self._runs = _Runs(self)
        self._scheduler: BaseScheduler | None = None

    @property
    def kind(self) -> str:
        if self._kind is not None:
            return self._kind
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
        kind = self.kind
        self.runner = f"{socket.gethostname()}:{os.getpid()}:{kind}"
        jobstores = {STORE: SQLAlchemyJobStore(engine=self.database.sync_engine, tablename=JOBS_TABLE), LOCAL: MemoryJobStore()}
        defaults = {"coalesce": True, "misfire_grace_time": None, "max_instances": 1}
        if kind == "asyncio":
            self._async_executor = _ClaimingAsyncExecutor(self._runs)
            executors = {"default": self._async_executor, LOCAL: AsyncIOExecutor()}
            scheduler: BaseScheduler = _OffLoopAsyncIOScheduler(jobstores=jobstores, executors=executors, job_defaults=defaults, timezone=self.timezone)
        else:
            executors = {"default": _ClaimingThreadExecutor(self._runs, self.max_workers), LOCAL: ThreadPoolExecutor(1)}
            scheduler = BackgroundScheduler(jobstores=jobstores, executors=executors, job_defaults=defaults, timezone=self.timezone, daemon=True)
        beat = self._beat_async if kind == "asyncio" else self._beat
        if not paused:
            scheduler.add_job(beat, "interval", seconds=self.heartbeat, id="asyncshift-heartbeat", jobstore=LOCAL, executor=LOCAL)
        self._scheduler = scheduler
        scheduler.start(paused=paused)
        if not paused:
            if kind == "asyncio":
                self._first_beat = asyncio.get_running_loop().create_task(self._beat_async())
            else:
                self._beat()

    def shutdown(self, wait: bool = True) -> None:
        if self._scheduler is not None:
            if self._scheduler.running:
                self._scheduler.shutdown(wait=wait)
            self._scheduler = None

    async def shutdown_async(self, timeout: float = 10.0) -> None:
        """Stop after the occurrences running on the loop have finished (at most ``timeout`` s).

        APScheduler's asyncio executor cancels its tasks at shutdown; a task cancelled inside its
        transaction, on a loop that then stops running, keeps its row locks until the process
        ends (and blocks the next writer). So: no new runs, let the running ones end, then stop.
        """
        executor = getattr(self, "_async_executor", None)
        if self._scheduler is not None and self._scheduler.running and executor is not None:
            self._scheduler.pause()
            running = list(executor._pending_futures)
            if running:
                await asyncio.wait(running, timeout=timeout)
        self.shutdown(wait=False)

    def _beat(self) -> None:
        """The heartbeat on the thread scheduler: callbacks in order, awaitables run to the end."""
        for callback in self.on_heartbeat:
            try:
                result = callback(self)
                if inspect.isawaitable(result):
                    bridge.run_sync(result)
            except Exception:
                log.exception("scheduler heartbeat callback %r failed", callback)

    async def _beat_async(self) -> None:
        """The heartbeat on the asyncio scheduler: awaitable results are awaited on its loop."""
        for callback in self.on_heartbeat:
            try:
                result = callback(self)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("scheduler heartbeat callback %r failed", callback)

    def wakeup(self) -> None:
        """Look at the job store now (schedules another process changed)."""
        self._require().wakeup()

    # --- schedules

    def add(self, job_id: str, definition: str, trigger: Any, *args: Any, name: str | None = None) -> Job:
        """Schedule ``definition`` (a registry name) under ``job_id``, replacing a job of that id."""
        self.registry[definition]  # refuse an unknown name now, not at run time
        return self._require().add_job(
            registered_job, trigger, args=(definition, *args), id=job_id, name=name or job_id, jobstore=STORE, replace_existing=True
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
        events = self._runs.run_blocking(job, STORE, [_now()], __name__)
        return self._outcome(job_id, events)

    async def run_now_async(self, job_id: str) -> JobRun:
        """Twin of ``run_now`` on the event loop."""
        job = self.job(job_id)
        events = await self._runs.run_async(job, STORE, [_now()], __name__)
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

