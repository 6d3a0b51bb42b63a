"""Where comparisons go: a list in memory (tests, ``asyncshift compare``) or the ``shadow_results``
table, written in batches from a daemon thread so recording never waits on the caller's path."""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
from typing import Protocol

from sqlalchemy import Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, Text, insert
from sqlalchemy.engine import Engine

from compat.shadow.comparison import Comparison

log = logging.getLogger(__name__)


class Recorder(Protocol):
    def record(self, comparison: Comparison) -> None: ...


class MemoryRecorder:
    """Keeps comparisons in a list: for tests and for ``asyncshift compare``."""

    def __init__(self) -> None:
        self.comparisons: list[Comparison] = []
        self._lock = threading.Lock()

    def record(self, comparison: Comparison) -> None:
        with self._lock:
            self.comparisons.append(comparison)

    def flush(self, timeout: float = 5.0) -> None:  # same interface as SqlRecorder
        return None


shadow_metadata = MetaData()
shadow_results = Table(
    "shadow_results",
    shadow_metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("target", String(200), nullable=False, index=True),
    Column("method", String(200), nullable=False),
    Column("stage", String(16), nullable=False),
    Column("served", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("matched", Boolean, nullable=False),
    Column("diff", Text, nullable=False, default=""),
    # Scientist's names, kept (README, Glossary): control_* the served side, candidate_* the checking side
    Column("control_ms", Float, nullable=False),
    Column("candidate_ms", Float, nullable=True),
    Column("control_error", Text, nullable=True),
    Column("candidate_error", Text, nullable=True),
)


def ensure_tables(engine: Engine, metadata: MetaData) -> None:
    """A recorder's own tables (``metadata``) created in a database the toolkit is pointed at,
    where they are missing: what ``SqlRecorder``, ``NoiseLearner`` and ``InputRecorder`` do before
    their first write when built with ``create_tables=True`` (the default, for a toolkit database).

    An application whose migrations create these tables builds them with ``create_tables=False``
    (``admin_assistant.wiring.app.make_checker``): nothing then creates tables at run time in its
    database, so a database behind its migrations never gets a table ``db upgrade`` would then
    fail to create (issue 16).
    """
    metadata.create_all(engine, checkfirst=True)


def too_long(table: Table, row: dict) -> str | None:
    """The first of ``row``'s values longer than its column allows, named: PostgreSQL refuses such a
    row (and the batch holding it) where SQLite stores it, so both are made to refuse it alike."""
    for column in table.columns:
        length = getattr(column.type, "length", None)
        value = row.get(column.name)
        if length and isinstance(value, str) and len(value) > length:
            return f"{column.name} {value[:40]!r}... is {len(value)} characters, over the column's {length}"
    return None


def write_rows(engine: Engine, table: Table, rows: list[dict], what: str) -> int:
    """Inserts ``rows`` into ``table`` in one statement; when the database refuses the batch, row by
    row, so one bad row costs only itself, never the evidence beside it. A row that cannot be
    stored is logged with its reason. Returns how many rows were stored."""
    fitting = []
    for row in rows:
        reason = too_long(table, row)
        if reason:
            log.error("could not record %s for %s: %s (shorten the name)", what, row.get("target"), reason)
        else:
            fitting.append(row)
    if not fitting:
        return 0
    try:
        with engine.begin() as connection:
            connection.execute(insert(table), fitting)
        return len(fitting)
    except Exception:
        if len(fitting) == 1:
            log.exception("could not record %s for %s", what, fitting[0].get("target"))
            return 0
    stored = 0
    for row in fitting:
        try:
            with engine.begin() as connection:
                connection.execute(insert(table), [row])
            stored += 1
        except Exception:
            log.exception("could not record %s for %s", what, row.get("target"))
    return stored


def _storable(text: str | None) -> str | None:
    """``text`` with NUL characters written as ``\\x00``: PostgreSQL refuses them in text, and the
    batch holding one, mismatch and all, would be lost there while SQLite keeps it."""
    return text.replace("\x00", "\\x00") if text else text


class SqlRecorder:
    """Writes comparisons to the ``shadow_results`` table from a daemon thread, in batches, so
    recording never waits on the caller's path. With ``create_tables`` (the default), the table is
    created if it is missing (``ensure_tables``); without, it must exist (a migration made it)."""

    def __init__(self, engine: Engine, *, batch: int = 200, create_tables: bool = True) -> None:
        self.engine = engine
        self.batch = batch
        self.create_tables = create_tables
        self._queue: queue.Queue[Comparison] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._ready = False

    def record(self, comparison: Comparison) -> None:
        self._queue.put(comparison)
        if self._thread is None or not self._thread.is_alive():
            with self._lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._drain, name="asyncshift-recorder", daemon=True)
                    self._thread.start()

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until everything recorded so far is written (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.005)

    def _drain(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=5)
            except queue.Empty:
                return
            rows = [first]
            while len(rows) < self.batch:
                try:
                    rows.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write(rows)
            except Exception:  # never let recording take the application down
                log.exception("could not record %d side-by-side results", len(rows))
            finally:
                for _ in rows:
                    self._queue.task_done()

    def _write(self, rows: list[Comparison]) -> None:
        if not self._ready:
            if self.create_tables:
                ensure_tables(self.engine, shadow_metadata)
            self._ready = True
        values = [
            {
                "at": c.at.astimezone(dt.UTC) if c.at.tzinfo else c.at,  # SQLite keeps no offset: UTC alone
                "target": c.target,
                "method": c.method,
                "stage": c.stage,
                "served": c.served,
                "status": c.status,
                "matched": c.matched,
                "diff": _storable(c.diff),
                "control_ms": c.control_ms,
                "candidate_ms": c.candidate_ms,
                "control_error": _storable(c.control_error),
                "candidate_error": _storable(c.candidate_error),
            }
            for c in rows
        ]
        write_rows(self.engine, shadow_results, values, "a side-by-side result")
