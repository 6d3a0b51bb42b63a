"""Noise: fields that differ between two runs of the *same* path are not mismatches.

Like Diffy: a sample of calls runs the served side a second time, off the caller's path. A field
that differs between those two runs (a timestamp, a generated id, a random token) differs by
nature; it counts against the checking side only when it differs from the checking side clearly
more often than from a re-run of the served side (``absolute`` rates apart). The first ``warmup``
calls of each method always re-run, so even the first comparisons are judged with some evidence.

What was learnt is kept in memory and, with an engine, in the ``shadow_noise`` table so that
``asyncshift report`` can say which fields were treated as noise.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, delete, insert, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine

from compat.shadow import differences, field_path, normalise

log = logging.getLogger(__name__)

noise_metadata = MetaData()
shadow_noise = Table(
    "shadow_noise",
    noise_metadata,
    Column("target", String(200), primary_key=True),
    Column("method", String(200), primary_key=True),
    Column("path", String(500), primary_key=True),
    Column("differed", Integer, nullable=False),  # re-runs of the served side in which the field differed
    Column("reruns", Integer, nullable=False),  # re-runs of the served side, for this method
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


@dataclass
class _Method:
    """What is known about one (target, method)."""

    reruns: int = 0
    differed: Counter = field(default_factory=Counter)  # field path -> re-runs it differed in
    compared: int = 0
    against_checking: Counter = field(default_factory=Counter)  # field path -> comparisons it differed in
    dirty: bool = False


class NoiseLearner:
    """Learns, per target and method, which fields differ between two runs of the served side.

    ``wants`` says whether to re-run the served side for this call; ``observe`` takes the two runs;
    ``filter`` is handed the differences of a served-vs-checking comparison and keeps the ones
    that are not noise. ``engine`` persists what was learnt (at most once per ``persist_every`` s).
    """

    def __init__(
        self,
        *,
        warmup: int = 20,
        rate: float = 0.05,
        absolute: float = 0.1,
        engine: Engine | None = None,
        persist_every: float = 5.0,
        create_tables: bool = True,
    ) -> None:
        self.warmup = warmup
        self.rate = rate
        self.absolute = absolute
        self.engine = engine
        self.persist_every = persist_every
        self.create_tables = create_tables  # see compat.shadow.recorders.ensure_tables
        self._methods: dict[tuple[str, str], _Method] = {}
        self._lock = threading.Lock()
        self._next_persist = 0.0
        self._table_ready = False
        self._persisting = threading.Lock()  # held by the one thread writing at a time

    def _entry(self, target: str, method: str) -> _Method:
        key = (target, method)
        entry = self._methods.get(key)
        if entry is None:
            with self._lock:
                entry = self._methods.setdefault(key, _Method())
        return entry

    def wants(self, target: str, method: str) -> bool:
        """Re-run the served side for this call? Always during warm-up, then for a ``rate`` sample."""
        entry = self._methods.get((target, method))
        return entry is None or entry.reruns < self.warmup or random.random() < self.rate

    def observe(self, target: str, method: str, first: object, second: object) -> list[str]:
        """Two runs of the same side: the fields that differed between them are noise evidence."""
        paths = sorted({field_path(line) for line in differences(normalise(first), normalise(second))})
        entry = self._entry(target, method)
        with self._lock:
            entry.reruns += 1
            entry.differed.update(paths)
            entry.dirty = True
        self._maybe_persist()
        return paths

    def is_noise(self, target: str, method: str, path: str) -> bool:
        entry = self._methods.get((target, method))
        if entry is None or not entry.reruns or not entry.differed.get(path):
            return False
        noise_rate = entry.differed[path] / entry.reruns
        checking_rate = entry.against_checking[path] / entry.compared if entry.compared else 1.0
        return checking_rate - noise_rate <= self.absolute

    def filter(self, target: str, method: str, found: list[str]) -> list[str]:
        """The lines of ``found`` (``path: old != new``) whose field is not noise."""
        entry = self._entry(target, method)
        with self._lock:
            entry.compared += 1
            entry.against_checking.update({field_path(line) for line in found})
            entry.dirty = True  # what counts as noise depends on the comparisons too
        self._maybe_persist()
        return [line for line in found if not self.is_noise(target, method, field_path(line))]

    def noise_fields(self) -> dict[str, list[tuple[str, float]]]:
        """Per target, ``("method: path", share of re-runs it differed in)`` for fields now treated as noise."""
        fields: dict[str, list[tuple[str, float]]] = {}
        with self._lock:
            items = [(k, e.reruns, dict(e.differed)) for k, e in self._methods.items()]
        for (target, method), reruns, differed in items:
            for path, count in sorted(differed.items()):
                if self.is_noise(target, method, path):
                    fields.setdefault(target, []).append((f"{method}: {path}", count / reruns))
        return dict(sorted(fields.items()))

    # ---------------------------------------------------------------------------- persistence

    def _maybe_persist(self) -> None:
        """Save what was learnt from a daemon thread (``observe`` may run on an event loop)."""
        if self.engine is None or time.monotonic() < self._next_persist:
            return
        self._next_persist = time.monotonic() + self.persist_every
        if self._persisting.locked():
            return
        threading.Thread(target=self._persist_quietly, name="asyncshift-noise", daemon=True).start()

    def _persist_quietly(self) -> None:
        try:
            self.persist()
        except Exception:  # learning noise must never take a check down
            log.exception("could not save the learnt noise fields")

    def persist(self) -> None:
        """Write what was learnt (for methods that changed) to ``shadow_noise``; one writer at a time."""
        if self.engine is None:
            return
        with self._persisting:
            self._persist()

    def _persist(self) -> None:
        assert self.engine is not None
        if not self._table_ready:
            if self.create_tables:
                from compat.shadow.recorders import ensure_tables

                ensure_tables(self.engine, noise_metadata)
            self._table_ready = True
        now = dt.datetime.now(dt.UTC)
        with self._lock:
            changed = [(k, e.reruns, dict(e.differed)) for k, e in self._methods.items() if e.dirty]
            for key, *_ in changed:
                self._methods[key].dirty = False
        if not changed:
            return
        from compat.shadow.recorders import too_long

        t = shadow_noise.c
        with self.engine.begin() as connection:
            for (target, method), reruns, differed in changed:
                reason = too_long(shadow_noise, {"target": target, "method": method})
                if reason:  # PostgreSQL would refuse the whole save, SQLite keep it: refused alike
                    log.error("could not save the noise fields of %s: %s (shorten the name)", target, reason)
                    continue
                connection.execute(delete(shadow_noise).where((t.target == target) & (t.method == method)))
                rows = [
                    {
                        "target": target,
                        "method": method,
                        "path": path[:500],
                        "differed": count,
                        "reruns": reruns,
                        "updated_at": now,
                    }
                    for path, count in differed.items()
                    if self.is_noise(target, method, path)
                ]
                if rows:
                    connection.execute(insert(shadow_noise), rows)


def read_noise(engine: Engine) -> dict[str, list[tuple[str, float]]]:
    """What every process learnt, from ``shadow_noise``: per target, ``("method: path", rate)``."""
    if not sa_inspect(engine).has_table(shadow_noise.name):
        return {}
    t = shadow_noise.c
    with engine.connect() as connection:
        rows = connection.execute(
            select(t.target, t.method, t.path, t.differed, t.reruns).order_by(t.target, t.method, t.path)
        ).all()
    fields: dict[str, list[tuple[str, float]]] = {}
    for target, method, path, differed, reruns in rows:
        fields.setdefault(target, []).append((f"{method}: {path}", differed / reruns if reruns else 0.0))
    return fields
