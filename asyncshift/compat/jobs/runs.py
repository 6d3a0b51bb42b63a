"""One occurrence of a job, run once however many schedulers share the database: claim, run, record.

An occurrence is claimed by inserting ``(job id, scheduled time)`` into ``job_runs`` under a
unique key, in one statement (``ON CONFLICT DO NOTHING`` on PostgreSQL and SQLite, in autocommit
on PostgreSQL: one round trip, and a second claimer finds the row at once instead of queueing
behind a transaction). The claim is a lease that the running process renews (``leases``). The row
then records the outcome, only while this process still holds it; a failing job is recorded
``failed`` and its scheduler carries on. The same steps twice: in a thread (sync), on the loop,
where the claims and the records of runs asking at once go in rounds, a statement each (``rounds``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import traceback
from dataclasses import dataclass
from typing import Any, Protocol

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.job import Job
from sqlalchemy import insert, tuple_, update
from sqlalchemy.exc import IntegrityError

from compat import bridge
from compat.db import Database
from compat.jobs import fencing, leases
from compat.jobs.registry import JobDefinition, Occurrence
from compat.jobs.rounds import Rounds
from compat.jobs.tables import job_runs

log = logging.getLogger(__name__)


class SchedulerLike(Protocol):
    """What ``Runs`` asks of the scheduler it serves (``compat.jobs.Scheduler``)."""

    database: Database
    context: Any
    runner: str
    lease: float

    def definition_of(self, job: Job) -> tuple[JobDefinition, tuple[Any, ...]]: ...

    def side(self, definition: JobDefinition) -> str: ...

    def find(self, job_id: str) -> Job | None: ...


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc_naive(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def _claim_values(job_id: str, scheduled_at: dt.datetime, side: str, runner: str, now: dt.datetime) -> dict:
    return {
        "job_id": job_id,
        "scheduled_at": _utc_naive(scheduled_at),
        "started_at": now,
        "heartbeat_at": now,
        "status": "running",
        "side": side,
        "runner": runner,
        "attempts": 1,
    }


def _dialect_insert(backend: str) -> Any:
    if backend == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif backend == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        return None
    return dialect_insert


def _claim(backend: str, job_id: str, scheduled_at: dt.datetime, side: str, runner: str) -> Any:
    values = _claim_values(job_id, scheduled_at, side, runner, _utc_naive(utc_now()))
    dialect_insert = _dialect_insert(backend)
    if dialect_insert is None:  # elsewhere the unique key refuses a second claim with an IntegrityError
        return insert(job_runs).values(**values)
    claim = dialect_insert(job_runs).values(**values)
    return claim.on_conflict_do_nothing(index_elements=["job_id", "scheduled_at"]).returning(job_runs.c.id)


def _claims(backend: str) -> Any:
    """Many claims in one statement (executed with a list of ``_claim_values``, which SQLAlchemy
    sends as one multi-row ``INSERT``): the occurrences won are returned, the others skipped."""
    claims = _dialect_insert(backend)(job_runs).on_conflict_do_nothing(index_elements=["job_id", "scheduled_at"])
    return claims.returning(job_runs.c.job_id, job_runs.c.scheduled_at)


def _finish(job_id: str, scheduled_at: dt.datetime, runner: str, attempt: int, error: BaseException | None) -> Any:
    outcome = {"finished_at": _utc_naive(utc_now()), "status": "failed" if error else "succeeded"}
    if error is not None:
        outcome["error"] = f"{type(error).__name__}: {error}"[:2000]
    # not an occurrence it lost: the same runner and attempt (the fencing token), still running
    held = (job_runs.c.runner == runner, job_runs.c.attempts == attempt, job_runs.c.status == "running")
    return (
        update(job_runs)
        .where(job_runs.c.job_id == job_id, job_runs.c.scheduled_at == _utc_naive(scheduled_at), *held)
        .values(**outcome)
    )


def _finish_succeeded(runner: str, fences: list[fencing.Fence]) -> Any:
    """``_finish`` of many succeeded occurrences of one runner in one statement; the rows still held
    (the same runner and attempt, still running) are returned: the others were lost meanwhile."""
    key = tuple_(job_runs.c.job_id, job_runs.c.scheduled_at, job_runs.c.attempts)
    held = (job_runs.c.runner == runner, job_runs.c.status == "running")
    return (
        update(job_runs)
        .where(key.in_([(fence.job_id, fence.scheduled_at, fence.attempt) for fence in fences]), *held)
        .values(finished_at=_utc_naive(utc_now()), status="succeeded")
        .returning(job_runs.c.job_id, job_runs.c.scheduled_at, job_runs.c.attempts)
    )


def _won(result: Any) -> bool:
    return result.first() is not None if result.returns_rows else True


@dataclass
class _LoopRounds:
    """The rounds of claims and of records on one event loop (their futures belong to it)."""

    loop: asyncio.AbstractEventLoop
    claims: Rounds[tuple[str, dt.datetime, str, str], bool]
    records: Rounds[tuple[fencing.Fence, BaseException | None], bool]


class Runs:
    """Claims, runs and records occurrences, in a scheduler thread (sync) or on the loop (async)."""

    def __init__(self, scheduler: SchedulerLike) -> None:
        self.scheduler = scheduler
        self._keeper: leases.LeaseKeeper | None = None
        self._loop_rounds: _LoopRounds | None = None

    @property
    def keeper(self) -> leases.LeaseKeeper:
        """Renews this process's leases (made again when the scheduler's runner name changes)."""
        runner = self.scheduler.runner
        if self._keeper is None or self._keeper.runner != runner:
            self._keeper = leases.LeaseKeeper(self.scheduler.database.sync_engine, runner, self.scheduler.lease)
        return self._keeper

    def _one_statement(self) -> dict[str, Any]:
        return leases.one_statement(self.scheduler.database.backend)

    # --- sync: the thread scheduler, and ``run_now`` from sync code

    def claim(self, job_id: str, scheduled_at: dt.datetime, side: str) -> bool:
        database = self.scheduler.database
        claim = _claim(database.backend, job_id, scheduled_at, side, self.scheduler.runner)
        try:
            with database.sync_engine.connect() as connection:
                connection.execution_options(**self._one_statement())
                won = _won(connection.execute(claim))
                connection.commit()
        except IntegrityError:
            return False
        return won

    def record(self, fence: fencing.Fence, error: BaseException | None) -> None:
        finish = _finish(fence.job_id, fence.scheduled_at, fence.runner, fence.attempt, error)
        with self.scheduler.database.sync_engine.connect() as connection:
            connection.execution_options(**self._one_statement())
            held = connection.execute(finish).rowcount
            connection.commit()
        if not held:
            _lost(fence, error)

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
            events.append(self._run_claimed(job, jobstore_alias, run_time, definition, args, side))
        return events

    def _run_claimed(
        self,
        job: Job,
        alias: str,
        run_time: dt.datetime,
        definition: JobDefinition,
        args: tuple,
        side: str,
        attempt: int = 1,
    ) -> JobExecutionEvent:
        occurrence = Occurrence(job.id, run_time, attempt)
        fence = self._fence(occurrence)
        with self.keeper.holding(fence):
            try:
                with fencing.holding(fence):
                    if side == "new":
                        retval = bridge.run_sync(definition.aio(self.scheduler.context, occurrence, *args))
                    else:
                        retval = definition.sync(self.scheduler.context, occurrence, *args)
            except Exception as exc:
                self.record(fence, exc)
                return self._failed(job, alias, run_time, exc)
            self.record(fence, None)
        return JobExecutionEvent(EVENT_JOB_EXECUTED, job.id, alias, run_time, retval=retval)

    def _fence(self, occurrence: Occurrence) -> fencing.Fence:
        scheduled_at = _utc_naive(occurrence.scheduled_at)
        runner, database = self.scheduler.runner, self.scheduler.database.url
        return fencing.Fence(occurrence.job_id, scheduled_at, runner, occurrence.attempt, database)

    def recover(self, jobstore_alias: str) -> list[JobExecutionEvent]:
        """Expired leases marked ``interrupted``; those whose job retries them run again, here."""
        return [self._run_claimed(*resumed) for resumed in self._interrupt_and_take_over(jobstore_alias)]

    def _interrupt_and_take_over(self, alias: str) -> list[tuple]:
        engine, runner, now = self.scheduler.database.sync_engine, self.scheduler.runner, leases.utc_naive_now()
        with engine.connect() as connection:
            connection.execution_options(**self._one_statement())
            for job_id, scheduled_at in connection.execute(leases.interrupt_expired(now, self.scheduler.lease)):
                log.warning("job %s at %s: its runner died mid-run; marked interrupted", job_id, scheduled_at)
            connection.commit()
        with engine.connect() as connection:
            waiting = connection.execute(leases.interrupted()).all()
        resumed = []
        for job_id, scheduled_at in waiting:
            job = self.scheduler.find(job_id)
            if job is None:
                continue
            definition, args = self.scheduler.definition_of(job)
            if not definition.retry_interrupted:
                continue
            side = self.scheduler.side(definition)
            with engine.connect() as connection:
                connection.execution_options(**self._one_statement())
                taken = connection.execute(leases.take_over(job_id, scheduled_at, side, runner, now)).first()
                connection.commit()
            if taken is not None:
                log.warning("job %s at %s: interrupted earlier, running again", job_id, scheduled_at)
                at = scheduled_at.replace(tzinfo=dt.UTC)
                resumed.append((job, alias, at, definition, args, side, taken.attempts))
        return resumed

    # --- async: the asyncio scheduler, and ``run_now_async``

    async def claim_async(self, job_id: str, scheduled_at: dt.datetime, side: str) -> bool:
        """Claimed in the loop's next round of claims: one statement for every occurrence that asked
        meanwhile (``rounds``); the unique key still lets one claimer through."""
        return await self._rounds().claims.ask((job_id, _utc_naive(scheduled_at), side, self.scheduler.runner))

    async def record_async(self, fence: fencing.Fence, error: BaseException | None) -> None:
        """Recorded in the loop's next round of records (the run's lease renewed until it is written)."""
        if not await self._rounds().records.ask((fence, error)):
            _lost(fence, error)

    def _rounds(self) -> _LoopRounds:
        loop = asyncio.get_running_loop()
        if self._loop_rounds is None or self._loop_rounds.loop is not loop:
            self._loop_rounds = _LoopRounds(loop, Rounds(self._claim_round), Rounds(self._record_round))
        return self._loop_rounds

    async def _claim_round(self, wanted: list[tuple[str, dt.datetime, str, str]]) -> list[bool]:
        """Claim a round of occurrences in one statement; whether each asker won its own."""
        now = _utc_naive(utc_now())
        first: dict[tuple[str, dt.datetime], int] = {}  # an occurrence asked twice: the first asker's
        for index, (job_id, scheduled_at, _, _) in enumerate(wanted):
            first.setdefault((job_id, scheduled_at), index)
        # in one order in every process: two rounds racing for the same rows never wait on each other in a cycle
        rows = [_claim_values(*wanted[index], now) for _, index in sorted(first.items())]
        database = self.scheduler.database
        async with database.async_engine.connect() as connection:
            await connection.execution_options(**self._one_statement())
            won = {(row.job_id, row.scheduled_at) for row in await connection.execute(_claims(database.backend), rows)}
            await connection.commit()
        return [(job_id, at) in won and first[job_id, at] == index for index, (job_id, at, _, _) in enumerate(wanted)]

    async def _record_round(self, outcomes: list[tuple[fencing.Fence, BaseException | None]]) -> list[bool]:
        """Record a round of outcomes: the succeeded ones in one statement (per runner), a failed one
        with its error; whether each was still held."""
        held: set[tuple[str, dt.datetime, int]] = set()
        succeeded: dict[str, list[fencing.Fence]] = {}
        async with self.scheduler.database.async_engine.connect() as connection:
            await connection.execution_options(**self._one_statement())
            for fence, error in outcomes:
                if error is None:
                    succeeded.setdefault(fence.runner, []).append(fence)
                    continue
                finish = _finish(fence.job_id, fence.scheduled_at, fence.runner, fence.attempt, error)
                if (await connection.execute(finish)).rowcount:
                    held.add((fence.job_id, fence.scheduled_at, fence.attempt))
            for runner, fences in succeeded.items():
                held.update(tuple(row) for row in await connection.execute(_finish_succeeded(runner, fences)))
            await connection.commit()
        return [(fence.job_id, fence.scheduled_at, fence.attempt) in held for fence, _ in outcomes]

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
            events.append(await self._run_claimed_async(job, jobstore_alias, run_time, definition, args, side))
        return events

    async def _run_claimed_async(
        self,
        job: Job,
        alias: str,
        run_time: dt.datetime,
        definition: JobDefinition,
        args: tuple,
        side: str,
        attempt: int = 1,
    ) -> JobExecutionEvent:
        occurrence = Occurrence(job.id, run_time, attempt)
        fence = self._fence(occurrence)
        with self.keeper.holding(fence):
            try:
                with fencing.holding(fence):
                    if side == "new":
                        call = definition.aio(self.scheduler.context, occurrence, *args)
                    else:
                        call = bridge.call_async(definition.sync, self.scheduler.context, occurrence, *args)
                    retval = await _stoppable(call, fence)
            except Exception as exc:
                await self.record_async(fence, exc)
                return self._failed(job, alias, run_time, exc)
            await self.record_async(fence, None)
        return JobExecutionEvent(EVENT_JOB_EXECUTED, job.id, alias, run_time, retval=retval)

    async def recover_async(self, jobstore_alias: str) -> list[JobExecutionEvent]:
        """Twin of ``recover``: the sweep in a thread (it reads the sync job store), the runs on the loop."""
        resumed = await asyncio.to_thread(self._interrupt_and_take_over, jobstore_alias)
        return [await self._run_claimed_async(*one) for one in resumed]

    @staticmethod
    def _failed(job: Job, jobstore_alias: str, run_time: dt.datetime, exc: BaseException) -> JobExecutionEvent:
        log.error("job %s (scheduled at %s) failed: %s: %s", job.id, run_time, type(exc).__name__, exc)
        formatted = "".join(traceback.format_tb(exc.__traceback__))
        return JobExecutionEvent(EVENT_JOB_ERROR, job.id, jobstore_alias, run_time, exception=exc, traceback=formatted)


async def _stoppable(call: Any, fence: fencing.Fence) -> Any:
    """``await call``, in a task of its own that the fence's abandonment cancels (from the lease
    keeper's thread): ``LeaseLost`` here then, and the run goes no further than its next ``await``.
    A sync job on a bridge thread is left to end there, its statements refused."""
    loop = asyncio.get_running_loop()
    work = asyncio.ensure_future(call)  # copies this context: the fence goes with it

    def cancel() -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed: nothing left to stop
            loop.call_soon_threadsafe(work.cancel)

    fence.on_lost.append(cancel)
    if fence.lost:  # abandoned before it could be told how to stop
        cancel()
    try:
        return await work
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if fence.lost and work.cancelled() and not (current and current.cancelling()):
            raise fencing.LeaseLost(
                f"job {fence.job_id} at {fence.scheduled_at}: attempt {fence.attempt} of {fence.runner} lost its "
                "lease to another runner while it ran; it was stopped"
            ) from None
        raise
    finally:
        fence.on_lost.remove(cancel)


def _lost(fence: fencing.Fence, error: BaseException | None) -> None:
    """The stale holder's outcome: logged, never written over the row's new holder."""
    refused = " (its writes were refused)" if fence.lost or isinstance(error, fencing.LeaseLost) else ""
    log.warning(
        "job %s at %s: lost lease: attempt %s of %s was taken over while it ran%s; outcome not recorded",
        fence.job_id,
        fence.scheduled_at,
        fence.attempt,
        fence.runner,
        refused,
    )
