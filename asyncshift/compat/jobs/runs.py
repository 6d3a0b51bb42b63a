"""One occurrence of a job, run once however many schedulers share the database: claim, run, record.

An occurrence is claimed by inserting ``(job id, scheduled time)`` into ``job_runs`` under a
unique key (and ``pg_try_advisory_xact_lock`` on PostgreSQL, so a second claimer gives up at once
instead of queueing on the index). The row then records the outcome; a failing job is recorded
``failed`` and its scheduler carries on. The same steps twice: in a thread (sync), on the loop.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import traceback
from typing import Any, Protocol

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.job import Job
from sqlalchemy import insert, text, update
from sqlalchemy.exc import IntegrityError

from compat import bridge
from compat.db import Database
from compat.jobs.registry import JobDefinition, Occurrence
from compat.jobs.tables import job_runs

log = logging.getLogger(__name__)

TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:key)")


class SchedulerLike(Protocol):
    """What ``Runs`` asks of the scheduler it serves (``compat.jobs.Scheduler``)."""

    database: Database
    context: Any
    runner: str

    def definition_of(self, job: Job) -> tuple[JobDefinition, tuple[Any, ...]]: ...

    def side(self, definition: JobDefinition) -> str: ...


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc_naive(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def _lock_key(job_id: str, scheduled_at: dt.datetime) -> int:
    digest = hashlib.blake2b(f"{job_id}@{scheduled_at.isoformat()}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _claim(job_id: str, scheduled_at: dt.datetime, side: str, runner: str) -> Any:
    return insert(job_runs).values(
        job_id=job_id,
        scheduled_at=_utc_naive(scheduled_at),
        started_at=_utc_naive(utc_now()),
        status="running",
        side=side,
        runner=runner,
    )


def _finish(job_id: str, scheduled_at: dt.datetime, error: BaseException | None) -> Any:
    outcome = {"finished_at": _utc_naive(utc_now()), "status": "failed" if error else "succeeded"}
    if error is not None:
        outcome["error"] = f"{type(error).__name__}: {error}"[:2000]
    return (
        update(job_runs)
        .where(job_runs.c.job_id == job_id, job_runs.c.scheduled_at == _utc_naive(scheduled_at))
        .values(**outcome)
    )


class Runs:
    """Claims, runs and records occurrences, in a scheduler thread (sync) or on the loop (async)."""

    def __init__(self, scheduler: SchedulerLike) -> None:
        self.scheduler = scheduler

    # --- sync: the thread scheduler, and ``run_now`` from sync code

    def claim(self, job_id: str, scheduled_at: dt.datetime, side: str) -> bool:
        database = self.scheduler.database
        try:
            with database.sync_engine.begin() as connection:
                if database.backend == "postgresql":
                    key = _lock_key(job_id, scheduled_at)
                    if not connection.execute(TRY_LOCK, {"key": key}).scalar():
                        return False
                connection.execute(_claim(job_id, scheduled_at, side, self.scheduler.runner))
        except IntegrityError:
            return False
        return True

    def record(self, job_id: str, scheduled_at: dt.datetime, error: BaseException | None) -> None:
        with self.scheduler.database.sync_engine.begin() as connection:
            connection.execute(_finish(job_id, scheduled_at, error))

    def run_blocking(
        self, job: Job, jobstore_alias: str, run_times: list[dt.datetime], logger_name: str
    ) -> list[JobExecutionEvent]:
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
                    if not (await connection.execute(TRY_LOCK, {"key": key})).scalar():
                        return False
                await connection.execute(_claim(job_id, scheduled_at, side, self.scheduler.runner))
        except IntegrityError:
            return False
        return True

    async def record_async(self, job_id: str, scheduled_at: dt.datetime, error: BaseException | None) -> None:
        async with self.scheduler.database.async_engine.begin() as connection:
            await connection.execute(_finish(job_id, scheduled_at, error))

    async def run_async(
        self, job: Job, jobstore_alias: str, run_times: list[dt.datetime], logger_name: str
    ) -> list[JobExecutionEvent]:
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
