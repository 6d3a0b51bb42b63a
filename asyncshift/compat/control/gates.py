"""Promotion gates: does a target's evidence at its current stage allow the next stage?

A gate (``gates:`` in the flags file, per target or ``default``, field by field) sets the minimum
runs compared, the maximum mismatch rate, the maximum rise of the new path's error rate over the
old path's, and the maximum ratio of the new path's p99 to the old one's. The evidence is the
side-by-side runs recorded at the target's *current* stage (``shadow`` runs decide ``live``,
``live`` runs decide ``async``). ``sync`` -> ``shadow`` needs no evidence: ``shadow`` only watches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from compat.control.results import Source, Summary, covers
from compat.flags import Flags, Gate, Stage

ORDER = (Stage.SYNC, Stage.SHADOW, Stage.LIVE, Stage.ASYNC)


def next_stage(stage: Stage) -> Stage | None:
    """One step on (``sync`` -> ``shadow`` -> ``live`` -> ``async``); None after ``async``."""
    index = ORDER.index(stage)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def previous_stage(stage: Stage) -> Stage | None:
    """One step back; None before ``sync``."""
    index = ORDER.index(stage)
    return ORDER[index - 1] if index > 0 else None


def _pct(rate: float) -> str:
    return f"{rate * 100:.2f}%".replace(".00%", "%")


@dataclass(frozen=True)
class Condition:
    """One line of a gate: its name, whether it holds, and the figures that decided it."""

    name: str
    ok: bool
    text: str


@dataclass(frozen=True)
class Verdict:
    """What the gate says about promoting ``target`` from ``stage`` to ``next``."""

    target: str
    stage: Stage
    next: Stage | None
    conditions: tuple[Condition, ...]
    summary: Summary
    reason: str = ""  # why no conditions apply (sync -> shadow, already async)

    @property
    def passed(self) -> bool:
        return self.next is not None and all(c.ok for c in self.conditions)

    @property
    def failed(self) -> list[Condition]:
        return [c for c in self.conditions if not c.ok]

    def explain(self) -> str:
        """One line: 'passes' or each failing condition with its figures."""
        if self.next is None:
            return self.reason or f"{self.target} is at {self.stage.value}: nothing after it"
        if self.reason and not self.conditions:
            return self.reason
        if self.passed:
            return f"gate passes ({'; '.join(c.text for c in self.conditions)})"
        return "gate fails: " + "; ".join(c.text for c in self.failed)

    def as_dict(self) -> dict:
        return {
            "target": self.target,
            "stage": self.stage.value,
            "next": self.next.value if self.next else None,
            "passed": self.passed,
            "explain": self.explain(),
            "conditions": [c.__dict__ for c in self.conditions],
        }


def check_gate(gate: Gate, summary: Summary) -> tuple[Condition, ...]:
    """Each condition the gate sets, judged on ``summary``."""
    found: list[Condition] = []
    runs = summary.runs
    if gate.min_runs is not None:
        ok = runs >= gate.min_runs
        found.append(Condition("min_runs", ok, f"runs compared {runs} {'>=' if ok else '<'} min_runs {gate.min_runs}"))
    if runs == 0:  # no rate exists yet: say so rather than judge 0 of 0
        need = f"need {gate.min_runs}" if gate.min_runs else "need at least one"
        for name in ("max_mismatch_rate", "max_error_rate_increase", "max_p99_ratio"):
            if getattr(gate, name) is not None:
                found.append(Condition(name, False, f"{name}: no runs yet ({need})"))
        return tuple(found)
    if gate.max_mismatch_rate is not None:
        rate = summary.mismatch_rate
        ok = runs > 0 and rate <= gate.max_mismatch_rate
        found.append(
            Condition(
                "max_mismatch_rate",
                ok,
                f"mismatch rate {_pct(rate)} ({summary.mismatches} of {runs}) "
                f"{'<=' if ok else '>'} max_mismatch_rate {_pct(gate.max_mismatch_rate)}",
            )
        )
    if gate.max_error_rate_increase is not None:
        # The new path against the old one on the same input: runs where only the new path raised.
        rise = summary.new_fault_rate
        ok = runs > 0 and rise <= gate.max_error_rate_increase + 1e-12
        found.append(
            Condition(
                "max_error_rate_increase",
                ok,
                f"error rate new {_pct(summary.new.error_rate)} vs old {_pct(summary.old.error_rate)}, "
                f"new alone {_pct(rise)} ({summary.new_only_errors} of {runs}) {'<=' if ok else '>'} "
                f"max_error_rate_increase {_pct(gate.max_error_rate_increase)}",
            )
        )
    if gate.max_p99_ratio is not None:
        ratio = summary.p99_ratio
        if ratio is None:
            found.append(Condition("max_p99_ratio", False, "p99 ratio unknown: no timed runs on both sides yet"))
        else:
            ok = ratio <= gate.max_p99_ratio
            found.append(
                Condition(
                    "max_p99_ratio",
                    ok,
                    f"p99 new {summary.new.p99:.2f} ms / old {summary.old.p99:.2f} ms = {ratio:.2f} "
                    f"{'<=' if ok else '>'} max_p99_ratio {gate.max_p99_ratio:g}",
                )
            )
    return tuple(found)


def owned_by(flags: Flags, target: str, recorded: str) -> bool:
    """Is a run recorded for ``recorded`` evidence about ``target``? Yes when ``target`` covers it
    and no more specific key of the flags file does."""
    if not covers(target, recorded):
        return False
    return not any(len(key) > len(target) and covers(target, key) and covers(key, recorded) for key in flags.targets)


def evidence(flags: Flags, source: Source, target: str, stage: Stage, *, since: dt.datetime | None = None) -> Summary:
    """The runs recorded for ``target`` at ``stage`` (since ``since``), summed up as one."""
    summary = Summary(target)
    for run in source.runs(since=since, targets=[target], stage=stage.value):
        if owned_by(flags, target, run.target):
            summary.add(run)
    return summary


def verdict(flags: Flags, source: Source, target: str, *, since: dt.datetime | None = None) -> Verdict:
    """Judge promoting ``target`` one stage on, from the stage the file gives it."""
    stage = flags.configured(target)[0]
    following = next_stage(stage)
    if following is None:
        return Verdict(target, stage, None, (), Summary(target), f"{target} is at async already: the move is done")
    if stage is Stage.SYNC:
        return Verdict(
            target,
            stage,
            following,
            (),
            Summary(target),
            "sync -> shadow needs no evidence: at shadow the old path still serves and the new one is watched",
        )
    summary = evidence(flags, source, target, stage, since=since)
    conditions = check_gate(flags.gate(target), summary)
    reason = "" if conditions else "no gate is set for this target (gates.default or gates.TARGET in the flags file)"
    return Verdict(target, stage, following, conditions, summary, reason)
