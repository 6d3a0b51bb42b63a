"""Fencing: a job's writes commit only while its runner still holds the occurrence's lease.

A lease alone does not stop a process that stalled past it (a long GC pause, SIGSTOP, a VM frozen)
from finishing its run once it wakes, while another scheduler has already taken the occurrence
over and run it again: both would write. So each claim carries a token, the runner's name and the
attempt number (``attempts``, raised by every take-over), and while a job runs, every commit on the
scheduler's database engines (sync and async, Core and ORM) first checks it in the same
transaction: one ``UPDATE job_runs SET heartbeat_at`` on the occurrence's row, matched only while
that runner still holds that attempt. No row matched: ``LeaseLost`` is raised before the commit,
the transaction rolls back, and the stale run stops there. On PostgreSQL the update also locks the
row until the commit, so a take-over waits for it and then finds the lease renewed; on SQLite the
database's write lock orders them the same way.

A stale run that never commits is stopped too, as far as the job lets it: the lease keeper finds
the loss at its next renewal (``lease / 3`` seconds) and ``abandon``s the fence. From then on every
statement the run sends to the database is refused with ``LeaseLost`` (so a job that reads or
writes stops at its next statement), and a run on the event loop is cancelled at its next
``await``. Pure computation in a thread, which never touches the database, cannot be stopped
(Python cannot stop a thread): it runs to its end, and its outcome is not recorded.

Commits on any engine reaching the scheduler's database (same backend, host, port and database,
sync or async driver) are fenced: the application's, where ``job_runs`` lives beside the tables the
jobs write. Writes elsewhere (another database, a remote service) are not, nor are statements run
in autocommit mode (each commits as it runs, before any check could refuse it).

Outside fenced runs engines dispatch no event for the fence (``engine_listeners``): a process that
runs no job, or between runs, pays nothing for it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.engine import URL, Connection, Dialect

from compat.jobs.engine_listeners import EngineWideListeners
from compat.jobs.tables import job_runs


class LeaseLost(RuntimeError):
    """This run's lease went to another runner (or attempt) while it ran: its writes are refused."""


@dataclass
class Fence:
    """The token of one claimed occurrence: whose it is and which attempt, on which database."""

    job_id: str
    scheduled_at: dt.datetime  # UTC, naive, as stored
    runner: str
    attempt: int
    database: URL  # where job_runs is: commits there are checked
    active: bool = True  # off once the job's call has returned: a late commit is not the job's
    lost: bool = False
    on_lost: list[Callable[[], None]] = field(default_factory=list)  # how to stop the run (a task's cancel)

    def abandon(self) -> None:
        """The lease went to another runner: refuse this run's statements from now on, and stop it
        where it can be stopped. Called from the lease keeper's thread."""
        if not self.active or self.lost:
            return
        self.lost = True
        for stop in list(self.on_lost):  # a copy: the run's thread adds and removes its own
            stop()

    def check(self) -> tuple[Any, dict[str, Any]]:
        """The statement (and its parameters) that renews the lease only if this token still holds it."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        parameters = {
            "fence_job_id": self.job_id,
            "fence_scheduled_at": self.scheduled_at,
            "fence_runner": self.runner,
            "fence_attempt": self.attempt,
            "fence_now": now,
        }
        return _CHECK, parameters


# Built once: made again at every commit of every run, the statement cost more than its round trip.
_CHECK = (
    update(job_runs)
    .where(
        job_runs.c.job_id == bindparam("fence_job_id"),
        job_runs.c.scheduled_at == bindparam("fence_scheduled_at"),
        job_runs.c.runner == bindparam("fence_runner"),
        job_runs.c.attempts == bindparam("fence_attempt"),
        job_runs.c.status == "running",
    )
    .values(heartbeat_at=bindparam("fence_now", type_=job_runs.c.heartbeat_at.type))
)


@dataclass(frozen=True)
class _DriverCheck:
    """``_CHECK`` compiled for one dialect, sent on the connection's DBAPI cursor: a commit's check
    is the statement alone, not SQLAlchemy's execution of it (its cache lookup, execution context,
    result and events cost more than the round trip's own work on the loop: 196 Python calls a
    fenced commit on asyncpg, 125 with this)."""

    sql: str
    order: tuple[str, ...] | None  # a positional paramstyle's order of the parameters; None: named
    constants: dict[str, Any]  # the statement's own values (the status it matches)
    processors: dict[str, Callable[[Any], Any]]  # the dialect's conversions (SQLite's datetimes)

    @classmethod
    def compile(cls, dialect: Dialect) -> _DriverCheck:
        compiled = _CHECK.compile(dialect=dialect)
        given = {name: None for name in compiled.bind_names.values() if name.startswith("fence_")}  # a Fence's
        processors = {}
        for bind, name in compiled.bind_names.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                processors[name] = processor
        constants = {name: value for name, value in compiled.construct_params(given).items() if value is not None}
        order = tuple(compiled.positiontup) if compiled.positiontup is not None else None
        return cls(compiled.string, order, constants, processors)

    def parameters(self, values: dict[str, Any]) -> Any:
        values.update(self.constants)
        for name, process in self.processors.items():
            values[name] = process(values[name])
        return values if self.order is None else tuple(values[name] for name in self.order)


_DRIVER_CHECKS: dict[Dialect, _DriverCheck] = {}


def _check_on_driver(connection: Connection, fence: Fence) -> int:
    """Run the fence's check in ``connection``'s transaction on its DBAPI cursor; the rows it
    matched (1 while the lease holds). An error is raised as SQLAlchemy raises it for a statement."""
    dialect = connection.dialect
    check = _DRIVER_CHECKS.get(dialect)
    if check is None:
        check = _DRIVER_CHECKS[dialect] = _DriverCheck.compile(dialect)
    parameters = check.parameters(fence.check()[1])
    cursor = connection.connection.cursor()
    try:
        cursor.execute(check.sql, parameters)
        return cursor.rowcount
    except Exception as exc:  # wrapped (and a lost connection invalidated) as for any statement
        connection._handle_dbapi_exception(exc, check.sql, parameters, cursor, None)
        raise  # not reached: the line above raises
    finally:
        cursor.close()


_current: contextvars.ContextVar[Fence | None] = contextvars.ContextVar("asyncshift_job_fence", default=None)


@contextmanager
def holding(fence: Fence) -> Iterator[Fence]:
    """Run a job under ``fence``: its commits (in this context, and the tasks and bridge workers
    that copy it) are checked first."""
    _LISTENERS.on_duty()
    token = _current.set(fence)
    try:
        yield fence
    finally:
        fence.active = False
        _current.reset(token)
        if fence.lost:  # its run may go on (a bridge worker left to end): refused until it is gone
            weakref.finalize(fence, _LISTENERS.off_duty)
        else:
            _LISTENERS.off_duty()


def same_database(one: URL, other: URL) -> bool:
    """Whether two URLs reach one database, whichever driver (psycopg, asyncpg; pysqlite, aiosqlite)."""
    known = _SAME.get((id(one), id(other)))  # asked at every commit of every run, of a few engines' URLs
    if known is not None and known[0] is one and known[1] is other:
        return known[2]

    def place(url: URL) -> tuple[Any, ...]:
        return (url.get_backend_name(), url.host, url.port, url.database)

    same = place(one) == place(other)
    if len(_SAME) < 64:  # (a URL's own hash renders it as a string: dearer than the comparison)
        _SAME[id(one), id(other)] = (one, other, same)
    return same


_SAME: dict[tuple[int, int], tuple[URL, URL, bool]] = {}


def _refused(fence: Fence, what: str) -> LeaseLost:
    return LeaseLost(
        f"job {fence.job_id} at {fence.scheduled_at}: attempt {fence.attempt} of {fence.runner} lost its lease "
        f"to another runner while it ran; this {what} is refused"
    )


def _before_statement(connection: Connection, *_: Any) -> None:
    """A run known to have lost its lease sends nothing more to the database: it stops there."""
    fence = _current.get()
    if fence is not None and fence.lost and same_database(connection.engine.url, fence.database):
        raise _refused(fence, "statement")  # even once its scheduler gave up on it (a bridge thread left to end)


def _before_commit(connection: Connection) -> None:
    fence = _current.get()
    if fence is None or not (fence.active or fence.lost) or not same_database(connection.engine.url, fence.database):
        return
    if fence.lost:
        raise _refused(fence, "write")
    if _check_on_driver(connection, fence) == 1:
        return
    fence.lost = True
    raise _refused(fence, "write")


# Every engine, made before or after, dispatched to these only while a fenced run may still send a
# statement (``engine_listeners``: on the Engine class, they cost every request 18% when always on).
_LISTENERS = EngineWideListeners([("commit", _before_commit), ("before_cursor_execute", _before_statement)])
