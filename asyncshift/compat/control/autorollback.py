"""Auto-rollback: a target serving the new path that misbehaves drops back one stage by itself.

A small watcher thread (one per process; ``AutoRollback(...).start()`` where the application
starts) looks, every ``interval`` seconds, at each target the flags file puts at ``live`` or
``async``. Over the last ``rollback_window`` seconds at that stage (``gates:`` in the flags file),
with at least ``rollback_min_runs`` runs, it compares two figures to their thresholds:

- errors, judged as the new path's own faults only:
  at ``live``, the share of runs where the new path raised and the old one, on the same input,
  did not (from the side-by-side records, fleet-wide): a run that fails on both sides is the
  input's fault; at ``async``, where nothing runs beside it, the share of the new path's calls
  that failed with a server error, counted by a ``ServedMeter`` in this process
  (``compat.control.meter``): answers and client errors (a request that ended 4xx) never count,
  and the client with the most failures is set aside, so one client's burst is never enough;
- mismatches (``live`` only): the share of runs whose answers differed.

Crossing either drops the target one stage (``async`` -> ``live`` -> ``shadow``) in the flags
file, with an ``asyncshift:`` note giving the reason and time (``asyncshift status`` shows it),
and logs a warning. Every process follows within a second, like any other edit.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from compat.control.gates import evidence, previous_stage
from compat.control.meter import ServedMeter
from compat.control.results import Source
from compat.flags import Flags, FlagStore, Stage, load_flags, set_stage

log = logging.getLogger(__name__)

DEFAULT_WINDOW = 60.0  # seconds
DEFAULT_MIN_RUNS = 20


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}%"


@dataclass(frozen=True)
class Rollback:
    """One automatic step back, and why."""

    target: str
    before: Stage
    after: Stage
    reason: str
    at: dt.datetime

    @property
    def note(self) -> str:
        stamp = self.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"auto-rollback {self.before.value} -> {self.after.value} at {stamp}: {self.reason}"


def judge(
    flags: Flags,
    source: Source,
    target: str,
    *,
    now: dt.datetime,
    since: dt.datetime | None = None,
    meter: ServedMeter | None = None,
) -> Rollback | None:
    """Should ``target`` drop back one stage now? The rollback, or None."""
    stage = flags.configured(target)[0]
    back = previous_stage(stage)
    if not stage.serves_new or back is None or flags.rollback:
        return None
    gate = flags.gate(target)
    if gate.rollback_error_rate is None and gate.rollback_mismatch_rate is None:
        return None
    window = gate.rollback_window or DEFAULT_WINDOW
    min_runs = gate.rollback_min_runs or DEFAULT_MIN_RUNS
    over = f"over the last {window:g}s"
    if stage is Stage.ASYNC:
        if meter is None or gate.rollback_error_rate is None:
            return None
        figures = meter.figures(target, window)
        if figures.calls >= min_runs and figures.rate > gate.rollback_error_rate:
            aside = (
                f" (the {figures.set_aside_failures} of client {figures.set_aside} set aside)"
                if figures.set_aside
                else ""
            )
            reason = (
                f"new path failed {figures.failures} of {figures.calls} calls ({_pct(figures.rate)}){aside} {over}, "
                f"above rollback_error_rate {_pct(gate.rollback_error_rate)}"
            )
            return Rollback(target, stage, back, reason, now)
        return None
    start = now - dt.timedelta(seconds=window)
    summary = evidence(flags, source, target, stage, since=max(start, since) if since else start)
    if summary.runs < min_runs:
        return None
    faults = summary.new_fault_rate
    if gate.rollback_error_rate is not None and faults > gate.rollback_error_rate:
        reason = (
            f"new path raised alone (the old one answered the same input) in {summary.new_only_errors} of "
            f"{summary.runs} runs ({_pct(faults)}) {over}, above rollback_error_rate {_pct(gate.rollback_error_rate)}"
        )
        return Rollback(target, stage, back, reason, now)
    if gate.rollback_mismatch_rate is not None and summary.mismatch_rate > gate.rollback_mismatch_rate:
        reason = (
            f"{summary.mismatches} of {summary.runs} runs mismatched ({_pct(summary.mismatch_rate)}) {over}, "
            f"above rollback_mismatch_rate {_pct(gate.rollback_mismatch_rate)}"
        )
        return Rollback(target, stage, back, reason, now)
    return None


class AutoRollback:
    """The watcher: checks every ``interval`` seconds from a daemon thread; ``check()`` runs one pass.

    ``store`` says where the flags file is and what is in force; ``source`` gives the records
    (``compat.control.results.SqlSource`` on the shared database); ``on_rollback`` is told of each step
    back (after the file is written).
    """

    def __init__(
        self,
        store: FlagStore,
        source: Source,
        *,
        interval: float = 1.0,
        meter: ServedMeter | None = None,
        on_rollback: Callable[[Rollback], None] | None = None,
    ) -> None:
        self.store = store
        self.source = source
        self.interval = interval
        self.meter = meter
        self.on_rollback = on_rollback
        self.events: list[Rollback] = []
        self._seen: dict[str, tuple[Stage, dt.datetime | None]] = {}  # target -> (stage, since when)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _since(self, target: str, stage: Stage, now: dt.datetime) -> dt.datetime | None:
        """Runs from before the target (re)entered its stage are not held against it."""
        seen = self._seen.get(target)
        if seen is None:
            self._seen[target] = (stage, None)  # watching from now: the window decides
            return None
        if seen[0] is not stage:
            self._seen[target] = (stage, now)
            return now
        return seen[1]

    def check(self, now: dt.datetime | None = None) -> list[Rollback]:
        """One pass over the targets serving the new path; returns the rollbacks made."""
        now = now or dt.datetime.now(dt.UTC)
        flags = self.store.refresh()
        done = []
        for target in flags.targets:
            stage = flags.configured(target)[0]
            since = self._since(target, stage, now)
            decision = judge(flags, self.source, target, now=now, since=since, meter=self.meter)
            if decision is not None and self._apply(decision):
                done.append(decision)
        return done

    def _apply(self, rollback: Rollback) -> bool:
        path = self.store.path
        current = load_flags(path)  # another process may have stepped it back already
        if current.configured(rollback.target) != (rollback.before, rollback.target):
            return False
        set_stage(path, rollback.target, rollback.after, note=rollback.note)
        self.store.refresh()
        self._seen[rollback.target] = (rollback.after, rollback.at)
        self.events.append(rollback)
        log.warning("asyncshift %s: %s (%s)", rollback.target, rollback.note, os.fspath(path))
        if self.on_rollback is not None:
            try:
                self.on_rollback(rollback)
            except Exception:
                log.exception("on_rollback hook failed")
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # the watcher must outlive a bad pass (database down, file locked)
                log.exception("auto-rollback check failed; trying again in %ss", self.interval)

    def start(self) -> AutoRollback:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="asyncshift-autorollback", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
