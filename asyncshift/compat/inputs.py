"""Recorded inputs: a small sample of the arguments checked calls were made with, so that
``asyncshift compare`` can run both sides again later on real inputs.

Only what JSON carries is kept (numbers, text, booleans, lists, string-keyed dicts, dates and
datetimes); a call with anything else (an ORM object, a file) is not recorded. Each process keeps
at most ``keep`` distinct inputs per method, so recording is bounded and stops early. Rows are
written by a daemon thread to the ``shadow_inputs`` table, never on the caller's path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import queue
import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

MAX_CHARS = 4096

inputs_metadata = MetaData()
shadow_inputs = Table(
    "shadow_inputs",
    inputs_metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("target", String(200), nullable=False, index=True),
    Column("method", String(200), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("arguments", Text, nullable=False),  # {"args": [...], "kwargs": {...}} in tagged JSON
)


class NotRecordable(ValueError):
    """An argument JSON cannot carry faithfully."""


def encode(value: Any) -> Any:
    """A JSON-able form; dates are tagged so they come back as dates. Raise ``NotRecordable``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) and not k.startswith("$") for k in value):
        return {k: encode(v) for k, v in value.items()}
    raise NotRecordable(type(value).__name__)


def decode(value: Any) -> Any:
    """The inverse of ``encode``."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1 and "$datetime" in value:
            return dt.datetime.fromisoformat(value["$datetime"])
        if len(value) == 1 and "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        return {k: decode(v) for k, v in value.items()}
    return value


def dumps(args: Sequence[Any], kwargs: dict[str, Any]) -> str:
    return json.dumps({"args": encode(list(args)), "kwargs": encode(dict(kwargs))}, sort_keys=True)


def loads(text: str) -> tuple[list[Any], dict[str, Any]]:
    data = json.loads(text)
    if isinstance(data, list):  # a bare list is positional arguments
        return decode(data), {}
    return decode(data.get("args", [])), decode(data.get("kwargs", {}))


class InputRecorder:
    """Keeps up to ``keep`` distinct JSON-able inputs per (target, method) in this process."""

    def __init__(
        self, engine: Engine | None = None, *, keep: int = 20, offers: int = 1000, create_tables: bool = True
    ) -> None:
        self.engine = engine
        self.create_tables = create_tables  # see compat.shadow.recorders.ensure_tables
        self.keep = keep
        self.offers = offers  # per method: after this many offers, stop looking even if fewer were kept
        self._offered: dict[tuple[str, str], int] = {}
        self.kept: dict[tuple[str, str], dict[str, str]] = {}  # (target, method) -> digest -> arguments
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._ready = False

    def offer(self, target: str, method: str, args: Sequence[Any], kwargs: dict[str, Any]) -> None:
        """Called on each checked call: cheap once the method has ``keep`` inputs or ``offers`` offers."""
        key = (target, method)
        kept = self.kept.get(key)
        if kept is not None and len(kept) >= self.keep:
            return
        offered = self._offered.get(key, 0)
        if offered >= self.offers:  # the same few inputs over and over: enough is known
            return
        self._offered[key] = offered + 1
        try:
            text = dumps(args, kwargs)
        except (NotRecordable, TypeError, ValueError):
            return
        if len(text) > MAX_CHARS:
            return
        digest = hashlib.sha256(text.encode()).hexdigest()
        with self._lock:
            kept = self.kept.setdefault((target, method), {})
            if digest in kept or len(kept) >= self.keep:
                return
            kept[digest] = text
        if self.engine is not None:
            row = {
                "at": dt.datetime.now(dt.UTC),
                "target": target,
                "method": method,
                "digest": digest,
                "arguments": text,
            }
            self._queue.put(row)
            self._start()

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            with self._lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._drain, name="asyncshift-inputs", daemon=True)
                    self._thread.start()

    def _drain(self) -> None:
        while True:
            try:
                rows = [self._queue.get(timeout=5)]
            except queue.Empty:
                return
            while True:
                try:
                    rows.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                assert self.engine is not None
                from compat.shadow.recorders import ensure_tables, write_rows

                if not self._ready:
                    if self.create_tables:
                        ensure_tables(self.engine, inputs_metadata)
                    self._ready = True
                write_rows(self.engine, shadow_inputs, rows, "a call's inputs")
            except Exception:
                log.exception("could not record %d call inputs", len(rows))
            finally:
                for _ in rows:
                    self._queue.task_done()

    def flush(self, timeout: float = 5.0) -> None:
        import time

        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.005)


def recorded_inputs(engine: Engine | None, target: str, *, limit: int = 100) -> list[tuple[str, str]]:
    """``(method, arguments JSON)`` recorded for ``target`` (or a target under it), newest first, distinct."""
    if engine is None or not sa_inspect(engine).has_table(shadow_inputs.name):
        return []
    t = shadow_inputs.c
    query = (
        select(t.target, t.method, t.digest, t.arguments)
        .where((t.target == target) | t.target.startswith(target + ".", autoescape=True))
        .order_by(t.at.desc())
    )
    seen: set[tuple[str, str, str]] = set()
    found: list[tuple[str, str]] = []
    with engine.connect() as connection:
        for row in connection.execute(query):
            key = (row.target, row.method, row.digest)
            if key in seen:
                continue
            seen.add(key)
            found.append((f"{row.target}:{row.method}", row.arguments))
            if len(found) >= limit:
                break
    return found
