"""Side-by-side records read back and summed up: what ``report``, ``promote``, ``status``, the
auto-rollback watcher and the ``/migration`` page decide from.

Records come from the ``shadow_results`` table (every process of a fleet writes to it) or from a
list of ``Comparison`` objects (tests, ``asyncshift compare``). Each record is seen by path
(``old``/``new``) rather than by role, since the side that serves flips between ``shadow`` and
``live``: a record's ``control_*`` columns are the served side's, its ``candidate_*`` columns the
checking side's (Scientist's names, kept in the records: README, Glossary).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import func, or_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine

from compat.noise import read_noise
from compat.shadow import Comparison, field_path, shadow_results

MAX_ROWS = 200_000  # a report reads at most this many of the newest records
TOP_DIFFERENCES = 5
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> dt.timedelta:
    """``90s``, ``15m``, ``2h``, ``7d``, ``1w`` (a bare number is seconds)."""
    match = _DURATION.match(text or "")
    if not match:
        raise ValueError(f"'{text}' is not a duration; write it like 30m, 2h or 7d")
    return dt.timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def diff_lines(diff: str) -> list[str]:
    """The ``path: old != new`` lines of a recorded diff (not the '... and N more' tail)."""
    return [line for line in diff.splitlines() if line.startswith("$")]


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100) of unsorted values; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


# ---------------------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Run:
    """One record seen by side: ``old_*`` / ``new_*`` whatever side served."""

    target: str
    method: str
    stage: str
    served: str
    status: str
    diff: str
    at: dt.datetime
    old_ms: float | None
    new_ms: float | None
    old_error: str | None
    new_error: str | None

    @classmethod
    def of(cls, c: Comparison | Any) -> Run:
        if isinstance(c, Run):
            return c
        served_old = c.served == "old"
        served = (c.control_ms, c.control_error)
        checking = (c.candidate_ms, c.candidate_error)
        old, new = (served, checking) if served_old else (checking, served)
        at = c.at if c.at.tzinfo else c.at.replace(tzinfo=dt.UTC)
        return cls(c.target, c.method, c.stage, c.served, c.status, c.diff or "", at, old[0], new[0], old[1], new[1])


@dataclass
class Side:
    """One side's figures over a set of runs."""

    runs: int = 0
    errors: int = 0
    ms: list[float] = field(default_factory=list, repr=False)

    @property
    def error_rate(self) -> float:
        return self.errors / self.runs if self.runs else 0.0

    @property
    def p50(self) -> float | None:
        return percentile(self.ms, 50)

    @property
    def p99(self) -> float | None:
        return percentile(self.ms, 99)

    def as_dict(self) -> dict[str, Any]:
        return {"errors": self.errors, "error_rate": self.error_rate, "p50_ms": self.p50, "p99_ms": self.p99}


@dataclass(frozen=True)
class Difference:
    """A field that differed, how many runs it differed in, and one of those lines as an example."""

    path: str
    count: int
    example: str
    method: str


@dataclass
class Summary:
    """Every figure of one target (or one group of targets) over a set of runs."""

    target: str
    runs: int = 0
    matches: int = 0
    mismatches: int = 0
    errors: int = 0  # runs whose sides disagreed on raising
    new_only_errors: int = 0  # runs where the new path raised and the old one did not: its own faults
    timeouts: int = 0
    old: Side = field(default_factory=Side)
    new: Side = field(default_factory=Side)
    stages: Counter = field(default_factory=Counter)
    methods: Counter = field(default_factory=Counter)
    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    _paths: Counter = field(default_factory=Counter, repr=False)
    _examples: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    noise: list[tuple[str, float]] = field(default_factory=list)  # (field path, share of re-runs it differed in)

    def add(self, run: Run) -> None:
        self.runs += 1
        self.stages[run.stage] += 1
        self.methods[run.method] += 1
        if run.status == "match":
            self.matches += 1
        elif run.status == "mismatch":
            self.mismatches += 1
            for line in diff_lines(run.diff):
                path = field_path(line)
                self._paths[path] += 1
                self._examples.setdefault(path, (line, run.method))
        elif run.status == "timeout":
            self.timeouts += 1
        else:
            self.errors += 1
        self.new_only_errors += run.new_error is not None and run.old_error is None
        for side, ms, error in ((self.old, run.old_ms, run.old_error), (self.new, run.new_ms, run.new_error)):
            side.runs += 1
            side.errors += error is not None
            if ms is not None and error is None:
                side.ms.append(ms)
        if self.first_seen is None or run.at < self.first_seen:
            self.first_seen = run.at
        if self.last_seen is None or run.at > self.last_seen:
            self.last_seen = run.at

    @property
    def mismatch_rate(self) -> float:
        return self.mismatches / self.runs if self.runs else 0.0

    @property
    def error_rate_increase(self) -> float:
        """How much more often the new side raised than the old one (negative: less often)."""
        return self.new.error_rate - self.old.error_rate

    @property
    def new_fault_rate(self) -> float:
        """Share of runs where the new path raised on an input the old path answered: a run that
        fails on both sides (bad input, say) is not the new path's fault, nor is a client error."""
        return self.new_only_errors / self.runs if self.runs else 0.0

    @property
    def p99_ratio(self) -> float | None:
        old, new = self.old.p99, self.new.p99
        if old is None or new is None:
            return None
        return new / old if old > 0 else (1.0 if new == 0 else math.inf)

    def differences(self, top: int = TOP_DIFFERENCES) -> list[Difference]:
        """The most frequent differing fields, each with an example line."""
        return [Difference(path, count, *self._examples[path]) for path, count in self._paths.most_common(top)]

    def as_dict(self, top: int = TOP_DIFFERENCES) -> dict[str, Any]:
        return {
            "target": self.target,
            "runs": self.runs,
            "matches": self.matches,
            "mismatches": self.mismatches,
            "mismatch_rate": self.mismatch_rate,
            "errors": self.errors,
            "timeouts": self.timeouts,
            "old": self.old.as_dict(),
            "new": self.new.as_dict(),
            "error_rate_increase": self.error_rate_increase,
            "new_only_errors": self.new_only_errors,
            "new_fault_rate": self.new_fault_rate,
            "p99_ratio": self.p99_ratio,
            "stages": dict(self.stages),
            "differences": [d.__dict__ for d in self.differences(top)],
            "noise": [{"path": path, "rate": rate} for path, rate in self.noise],
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
        }


def summarise(runs: Iterable[Run], key: Callable[[Run], str | None] = lambda r: r.target) -> dict[str, Summary]:
    """Sum runs up per ``key(run)`` (the recorded target by default; None leaves a run out)."""
    summaries: dict[str, Summary] = {}
    for run in runs:
        name = key(run)
        if name is None:
            continue
        summary = summaries.get(name)
        if summary is None:
            summary = summaries[name] = Summary(name)
        summary.add(run)
    return dict(sorted(summaries.items()))


def covers(target: str, recorded: str) -> bool:
    """Does ``target`` (a flags key such as ``repositories``) cover the recorded ``recorded``?"""
    return recorded == target or recorded.startswith(target + ".")


@dataclass(frozen=True)
class Point:
    """One time bucket of a target's runs, for the charts."""

    at: dt.datetime
    runs: int
    mismatch_rate: float
    error_rate: float  # the new side's


def timeline(runs: Iterable[Run], *, bucket: dt.timedelta, end: dt.datetime, buckets: int) -> dict[str, list[Point]]:
    """Per recorded target, ``buckets`` equal buckets ending at ``end`` (empty buckets included)."""
    start = end - bucket * buckets
    counts: dict[str, list[list[int]]] = {}
    for run in runs:
        if run.at < start or run.at >= end:
            continue
        index = min(int((run.at - start) / bucket), buckets - 1)
        slots = counts.setdefault(run.target, [[0, 0, 0] for _ in range(buckets)])
        slot = slots[index]
        slot[0] += 1
        slot[1] += run.status == "mismatch"
        slot[2] += run.new_error is not None
    return {
        target: [
            Point(start + bucket * i, n, (m / n if n else 0.0), (e / n if n else 0.0))
            for i, (n, m, e) in enumerate(slots)
        ]
        for target, slots in sorted(counts.items())
    }


# --------------------------------------------------------------------------------------- sources


class Source(Protocol):
    """Where records are read from."""

    def runs(
        self, *, since: dt.datetime | None = None, targets: Sequence[str] = (), stage: str | None = None
    ) -> list[Run]: ...

    def noise(self, targets: Sequence[str] = ()) -> dict[str, list[tuple[str, float]]]: ...


def _wanted(run_target: str, targets: Sequence[str]) -> bool:
    return not targets or any(covers(t, run_target) for t in targets)


class MemorySource:
    """Records held in memory (a ``MemoryRecorder``'s list, or ``Run``s already read), with an
    optional noise learner."""

    def __init__(self, comparisons: list[Comparison], learner: Any = None) -> None:
        self.comparisons = comparisons
        self.learner = learner

    def runs(
        self, *, since: dt.datetime | None = None, targets: Sequence[str] = (), stage: str | None = None
    ) -> list[Run]:
        found = [Run.of(c) for c in list(self.comparisons)]
        return [
            r
            for r in found
            if (since is None or r.at >= since) and (stage is None or r.stage == stage) and _wanted(r.target, targets)
        ]

    def noise(self, targets: Sequence[str] = ()) -> dict[str, list[tuple[str, float]]]:
        if self.learner is None:
            return {}
        return {t: fields for t, fields in self.learner.noise_fields().items() if _wanted(t, targets)}


class SqlSource:
    """Records in the ``shadow_results`` table, read through a sync engine (the newest first, capped)."""

    def __init__(self, engine: Engine, *, max_rows: int = MAX_ROWS) -> None:
        self.engine = engine
        self.max_rows = max_rows

    def _has(self, table: str) -> bool:
        return sa_inspect(self.engine).has_table(table)

    def runs(
        self, *, since: dt.datetime | None = None, targets: Sequence[str] = (), stage: str | None = None
    ) -> list[Run]:
        if not self._has(shadow_results.name):
            return []
        t = shadow_results.c
        query = (
            select(
                t.target,
                t.method,
                t.stage,
                t.served,
                t.status,
                t.diff,
                t.at,
                t.control_ms,
                t.candidate_ms,
                t.control_error,
                t.candidate_error,
            )
            .order_by(t.at.desc())
            .limit(self.max_rows)
        )
        if since is not None:  # in UTC, as recorded: SQLite compares the wall time and drops the offset
            query = query.where(t.at >= (since.astimezone(dt.UTC) if since.tzinfo else since))
        if stage is not None:
            query = query.where(t.stage == stage)
        if targets:  # SQLite's LIKE ignores case: the prefix is compared as it is, as on PostgreSQL
            query = query.where(
                or_(*[(t.target == x) | (func.substr(t.target, 1, len(x) + 1) == x + ".") for x in targets])
            )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [Run.of(row) for row in reversed(rows)]

    def noise(self, targets: Sequence[str] = ()) -> dict[str, list[tuple[str, float]]]:
        return {t: fields for t, fields in read_noise(self.engine).items() if _wanted(t, targets)}


def report(source: Source, *, targets: Sequence[str] = (), since: dt.datetime | None = None) -> dict[str, Summary]:
    """Per recorded target: the summary of its runs, with the fields treated as noise."""
    summaries = summarise(source.runs(since=since, targets=targets))
    for target, fields in source.noise(targets).items():
        summary = summaries.get(target)
        if summary is None:
            summary = summaries[target] = Summary(target)
        summary.noise = fields
    return dict(sorted(summaries.items()))
