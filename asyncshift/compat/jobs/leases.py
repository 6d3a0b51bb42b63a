"""Leases on claimed occurrences: a process that dies mid-run leaves an occurrence ``interrupted``.

A claim is a lease: the claiming process renews ``heartbeat_at`` on every occurrence it is running,
all of them in one statement every ``lease / 3`` seconds, from a thread of its own (so the renewal
does not wait for a busy event loop or a job that never yields). A ``running`` row whose lease is
older than ``lease`` seconds belongs to a process that died (``kill -9``, a lost machine): any
scheduler's heartbeat marks it ``interrupted``. A job whose definition says ``retry_interrupted``
(its work is idempotent) is then taken over by one scheduler: a conditional update from
``interrupted`` to ``running``, so two schedulers never both resume it, and ``attempts`` goes up.

A process that only stalls past its lease (a GC pause, SIGSTOP, a job holding the GIL that long)
loses its occurrence the same way; when it wakes, its writes are refused (``fencing``: every
commit of a running job checks the runner and attempt first) and its late outcome is not recorded
over the new one (``Runs`` records only a row whose runner and attempt are still its own). Its
keeper learns of the loss at its next renewal (the rows it renews are the ones it still holds)
and abandons the run's fence, so a run that never commits stops too (``fencing.Fence.abandon``).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.engine import Engine

from compat.jobs.fencing import Fence
from compat.jobs.tables import job_runs

log = logging.getLogger(__name__)

DEFAULT_LEASE = 60.0  # seconds without a renewal before a running occurrence counts as interrupted


def one_statement(backend: str) -> dict[str, Any]:
    """Connection options for a single-statement write: autocommit on PostgreSQL, where the server
    commits the statement as it finishes. A process stopped (SIGSTOP, a frozen VM) between its
    statement and its COMMIT would otherwise keep the rows it updated locked for as long as it
    stays stopped, and every other scheduler's sweep and take-over would wait on it."""
    return {"isolation_level": "AUTOCOMMIT"} if backend == "postgresql" else {}


def utc_naive_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def renew(runner: str, now: dt.datetime) -> Any:
    """Every occurrence ``runner`` holds, renewed: one statement however many it runs; the rows
    renewed are returned (job id, scheduled time, attempt): what it still holds."""
    return (
        update(job_runs)
        .where(job_runs.c.runner == runner, job_runs.c.status == "running")
        .values(heartbeat_at=now)
        .returning(job_runs.c.job_id, job_runs.c.scheduled_at, job_runs.c.attempts)
    )


def _expired(now: dt.datetime, lease: float) -> Any:
    last_sign = func.coalesce(job_runs.c.heartbeat_at, job_runs.c.started_at)  # rows from before leases
    return and_(job_runs.c.status == "running", last_sign < now - dt.timedelta(seconds=lease))


def interrupt_expired(now: dt.datetime, lease: float) -> Any:
    """Running occurrences whose lease ran out, marked ``interrupted`` (rows it changed: returned)."""
    return (
        update(job_runs)
        .where(_expired(now, lease))
        .values(status="interrupted", finished_at=now, error="interrupted: its runner stopped renewing its lease")
        .returning(job_runs.c.job_id, job_runs.c.scheduled_at)
    )


def interrupted(limit: int = 100) -> Any:
    """Interrupted occurrences, oldest first: the ones a scheduler may resume."""
    query = select(job_runs.c.job_id, job_runs.c.scheduled_at).where(job_runs.c.status == "interrupted")
    return query.order_by(job_runs.c.scheduled_at, job_runs.c.id).limit(limit)


def take_over(job_id: str, scheduled_at: dt.datetime, side: str, runner: str, now: dt.datetime) -> Any:
    """An interrupted occurrence, running again under ``runner``: matches one row for one taker only."""
    return (
        update(job_runs)
        .where(job_runs.c.job_id == job_id, job_runs.c.scheduled_at == scheduled_at, job_runs.c.status == "interrupted")
        .values(
            status="running",
            side=side,
            runner=runner,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            error=None,
            attempts=job_runs.c.attempts + 1,
        )
        .returning(job_runs.c.attempts)  # the new attempt: the fencing token of this run
    )


class LeaseKeeper:
    """Renews the leases of the occurrences this process is running, while it runs any.

    ``with keeper.holding(fence):`` around each run; the renewing thread runs while one is held and
    stops when none is (a new one starts with the next run). A held run whose row the renewal no
    longer finds (taken over while this process stalled) has its fence abandoned.
    """

    def __init__(self, engine: Engine, runner: str, lease: float) -> None:
        self.engine = engine
        self.runner = runner
        self.every = lease / 3
        self._held: list[Fence] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @contextmanager
    def holding(self, fence: Fence) -> Iterator[None]:
        with self._lock:
            self._held.append(fence)
            if self._thread is None:
                self._thread = threading.Thread(target=self._renew, name="asyncshift-lease", daemon=True)
                self._thread.start()
        try:
            yield
        finally:
            with self._lock:
                self._held.remove(fence)

    def _renew(self) -> None:
        wait = threading.Event()
        while True:
            wait.wait(self.every)
            with self._lock:
                if not self._held:
                    self._thread = None
                    return
                held = list(self._held)  # each claimed (committed) before it was held: renewed if still ours
            try:
                with self.engine.connect() as connection:
                    connection.execution_options(**one_statement(self.engine.dialect.name))
                    still = {tuple(row) for row in connection.execute(renew(self.runner, utc_naive_now()))}
                    connection.commit()
            except Exception as exc:  # the next renewal may work; a lease outlives two misses
                log.warning("renewing the job leases of %s failed: %s", self.runner, exc)
                continue
            for fence in held:
                if (fence.job_id, fence.scheduled_at, fence.attempt) not in still and fence.active:
                    log.warning(
                        "job %s at %s: attempt %s of %s lost its lease while it ran; stopping it",
                        fence.job_id,
                        fence.scheduled_at,
                        fence.attempt,
                        fence.runner,
                    )
                    fence.abandon()
