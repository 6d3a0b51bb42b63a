"""Sync and async engines, and a unit of work for each colour, derived from one database URL.

``sqlite:///FILE`` gives pysqlite and aiosqlite; ``postgresql://...`` gives psycopg and asyncpg.
Both engines point at the same data, so a half-moved application reads and writes one database.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.util import greenlet_spawn

from compat import sqlite_writers
from compat.fairpool import FairAsyncQueuePool

SYNC_DRIVERS = {"sqlite": "sqlite+pysqlite", "postgresql": "postgresql+psycopg"}
READ_ONLY_OPTION = "asyncshift_read_only"  # an engine execution option: the unit of work only reads
ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
BACKEND_ALIASES = {"postgres": "postgresql", "sqlite3": "sqlite"}
BUSY_TIMEOUT_MS = 10_000  # how long a SQLite writer waits for its turn, then for the lock
EXAMPLES = "sqlite:///PATH/TO/FILE.db or postgresql://USER@HOST:5432/DBNAME"


class DatabaseConfigError(Exception):
    """A database URL that cannot be used; the message is one line naming the setting and the fix."""


def parse_url(raw: str, setting: str = "database URL") -> URL:
    """Parse and check ``raw``; raise ``DatabaseConfigError`` naming ``setting`` when it is unusable."""
    if not raw or not raw.strip():
        raise DatabaseConfigError(f"{setting} is empty: set it to {EXAMPLES}")
    try:
        url = make_url(raw.strip())
    except (ArgumentError, ValueError) as exc:
        raise DatabaseConfigError(f"{setting}={raw!r} is not a database URL ({exc}); expected {EXAMPLES}") from None
    backend = BACKEND_ALIASES.get(url.get_backend_name(), url.get_backend_name())
    if backend not in SYNC_DRIVERS:
        raise DatabaseConfigError(f"{setting}={raw!r}: unsupported database {backend!r}; expected {EXAMPLES}")
    if backend == "sqlite" and (not url.database or url.database == ":memory:"):
        raise DatabaseConfigError(
            f"{setting}={raw!r}: an in-memory SQLite database cannot be shared by the sync and the "
            f"async engine; give a file, e.g. sqlite:///admin-assistant.db"
        )
    if backend == "postgresql" and not url.database:
        raise DatabaseConfigError(f"{setting}={raw!r} names no database; expected {EXAMPLES}")
    return url.set(drivername=backend)


def sync_url(url: URL) -> URL:
    return url.set(drivername=SYNC_DRIVERS[url.get_backend_name()])


def async_url(url: URL) -> URL:
    return url.set(drivername=ASYNC_DRIVERS[url.get_backend_name()])


def _sqlite_setup(engine: Engine, url: URL, *, asynchronous: bool) -> None:
    """WAL, foreign keys, a busy timeout, and transactions SQLAlchemy controls (so savepoints work)
    that take the write lock up front (so concurrent writers wait instead of failing), in turn
    with this process's other writers to the file (``compat.sqlite_writers``)."""
    path = url.database or ""
    writers = None  # an in-memory database is one connection's own: no line to wait in
    if path not in ("", ":memory:") and not path.startswith("file:"):
        writers = sqlite_writers.install(engine, os.path.abspath(path))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE: take the write lock when the transaction starts. A deferred transaction that
        # reads and then writes fails at once with "database is locked" when another connection
        # writes meanwhile (SQLite cannot wait there without risking a deadlock); this one waits.
        # A read-only unit (its connection carries READ_ONLY_OPTION: an execution option, because
        # the event may run in SQLAlchemy's greenlet, where the caller's contextvars are not) begins
        # DEFERRED: under WAL it never takes the write lock, so reads do not queue behind writers.
        if connection.get_execution_options().get(READ_ONLY_OPTION):
            connection.exec_driver_sql("BEGIN")
        else:
            if writers is not None:
                sqlite_writers.wait_turn(writers, connection.info, BUSY_TIMEOUT_MS / 1000, asynchronous)
            connection.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass
class Database:
    """One database seen through two engines: ``sync_engine`` (old stack) and ``async_engine`` (new).

    Engines are created on first use; the async engine is bound to the event loop that first uses
    its pool, so an application keeps one loop for it (see ``compat.bridge``).
    """

    url: URL
    setting: str = "database URL"
    echo: bool = False
    engine_options: dict[str, Any] = field(default_factory=dict)
    _sync_engine: Engine | None = field(default=None, init=False, repr=False)
    _async_engine: AsyncEngine | None = field(default=None, init=False, repr=False)
    _sync_sessions: sessionmaker[Session] | None = field(default=None, init=False, repr=False)
    _async_sessions: async_sessionmaker[AsyncSession] | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_url(cls, raw: str, setting: str = "database URL", **engine_options: Any) -> Database:
        return cls(parse_url(raw, setting), setting=setting, engine_options=engine_options)

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @property
    def sync_engine(self) -> Engine:
        if self._sync_engine is None:
            self._sync_engine = create_engine(
                sync_url(self.url), echo=self.echo, pool_pre_ping=False, **self.engine_options
            )
            if self.backend == "sqlite":
                _sqlite_setup(self._sync_engine, self.url, asynchronous=False)
        return self._sync_engine

    @property
    def async_engine(self) -> AsyncEngine:
        if self._async_engine is None:
            options = dict(self.engine_options)
            if self.backend == "postgresql" or self.url.database not in (None, "", ":memory:"):
                options.setdefault("poolclass", FairAsyncQueuePool)  # what SQLAlchemy picks, served in order
            self._async_engine = create_async_engine(async_url(self.url), echo=self.echo, **options)
            if self.backend == "sqlite":
                _sqlite_setup(self._async_engine.sync_engine, self.url, asynchronous=True)
        return self._async_engine

    @property
    def sync_sessions(self) -> sessionmaker[Session]:
        if self._sync_sessions is None:
            self._sync_sessions = sessionmaker(self.sync_engine, expire_on_commit=False)
        return self._sync_sessions

    @property
    def async_sessions(self) -> async_sessionmaker[AsyncSession]:
        if self._async_sessions is None:
            self._async_sessions = async_sessionmaker(self.async_engine, expire_on_commit=False)
        return self._async_sessions

    def read_only_options(self) -> dict[str, Any]:
        """What a read-only unit's connection is given: the marker the ``begin`` event reads, and on
        PostgreSQL autocommit (under READ COMMITTED every statement takes its own snapshot anyway,
        so a unit that only reads sees the same rows, without the BEGIN and COMMIT round trips)."""
        options: dict[str, Any] = {READ_ONLY_OPTION: True}
        if self.backend == "postgresql":
            options["isolation_level"] = "AUTOCOMMIT"
        return options

    @contextlib.contextmanager
    def unit_of_work(self, *, read_only: bool = False) -> Iterator[Session]:
        """Begin; commit when the block ends, roll back when it raises; always close.

        ``read_only``: the unit only reads, so it need not serialise with writers: on SQLite it
        begins DEFERRED instead of IMMEDIATE, on PostgreSQL it runs in autocommit. (Sessions bound
        to a connection of their caller, a sandbox's, join its transaction as they are.)"""
        with self.sync_sessions() as session, session.begin():
            if read_only and isinstance(session.get_bind(), Engine):
                session.connection(execution_options=self.read_only_options())
            yield session

    @contextlib.asynccontextmanager
    async def async_unit_of_work(self, *, read_only: bool = False) -> AsyncIterator[AsyncSession]:
        """The async twin of ``unit_of_work``.

        Each step of an ``AsyncSession`` runs its sync session in a new greenlet: the begin and
        the end of a unit take one each here, where ``async with session, session.begin()`` and
        the read-only connection took four (an empty unit: 0.09 ms of CPU instead of 0.14)."""
        session = self.async_sessions()
        sync = session.sync_session
        try:
            await greenlet_spawn(self._begin, sync, read_only)
        except BaseException:
            await greenlet_spawn(sync.close)
            raise
        try:
            yield session
        except BaseException:
            await greenlet_spawn(_end, sync, False)
            raise
        await greenlet_spawn(_end, sync, True)

    def _begin(self, session: Session, read_only: bool) -> None:
        session.begin()
        if read_only and isinstance(session.get_bind(), Engine):
            session.connection(execution_options=self.read_only_options())

    def check(self) -> None:
        """Connect once; raise ``DatabaseConfigError`` (one line, naming the setting) when it fails."""
        try:
            with self.sync_engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except (OperationalError, DBAPIError) as exc:
            detail = str(getattr(exc, "orig", None) or exc).strip()
            reason = detail.splitlines()[0] if detail else type(exc).__name__
            raise DatabaseConfigError(
                f"{self.setting}: cannot connect to {self.url.render_as_string(hide_password=True)}: {reason}"
            ) from None

    def dispose(self) -> None:
        """Close the sync pool (the async pool needs ``await adispose()``)."""
        if self._sync_engine is not None:
            self._sync_engine.dispose()

    async def adispose(self) -> None:
        if self._async_engine is not None:
            await self._async_engine.dispose()
        self.dispose()


def _end(session: Session, commit: bool) -> None:
    """Commit (or roll back) and close a unit's session: one step, so one greenlet for async units."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()
