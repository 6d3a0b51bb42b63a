"""What the flags say: the stages, the settings, and ``Flags``, one immutable version of them.

A ``Flags`` never changes, so it can cache each target's resolved stage: after the first lookup,
``Flags.stage`` costs a dict lookup. ``rollback`` is kept apart from the targets, so turning it
off restores every stage as it was.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from .environment import DEFAULT_FILE, ENV_ROLLBACK

_MAX_CACHED_TARGETS = 4096  # targets are code names; a bound keeps a misuse from leaking memory


class Stage(StrEnum):
    """Where a target is in its move, from not moved (``sync``) to moved (``async``)."""

    SYNC = "sync"  # old path serves, nothing else runs
    SHADOW = "shadow"  # old path serves, new path runs too and is compared
    LIVE = "live"  # new path serves, old path runs too and is compared
    ASYNC = "async"  # new path serves, nothing else runs

    # plain attributes, set once per member: read on every call, so no property's call
    serves_new: bool  # True when callers get the new (async) path's answer
    runs_both: bool  # True when both paths run and their answers are compared

    def __init__(self, value: str) -> None:
        self.serves_new = value in ("live", "async")
        self.runs_both = value in ("shadow", "live")


STAGE_NAMES = ", ".join(s.value for s in Stage)


@dataclass(frozen=True)
class ShadowSettings:
    """How the checking side of a ``shadow``/``live`` target runs."""

    sample_rate: float = 1.0  # share of calls that also run the checking side
    timeout: float = 2.0  # seconds before the checking side is abandoned
    ignore_fields: tuple[str, ...] = ()  # fields left out of the comparison
    max_in_flight: int | None = None  # checking runs at once; None: the runner's own limit
    max_share: float | None = None  # share of the process's time checks may take; None: no bound


@dataclass(frozen=True)
class Gate:
    """Promotion thresholds for a target; None means "not set here" (used by ``promote``)."""

    min_runs: int | None = None
    max_mismatch_rate: float | None = None
    max_error_rate_increase: float | None = None
    max_p99_ratio: float | None = None
    # auto-rollback (compat.control.autorollback): a target serving the new path drops back one
    # stage when, over the last ``rollback_window`` seconds and at least ``rollback_min_runs``
    # runs, the new path's error rate or the mismatch rate exceeds these
    rollback_error_rate: float | None = None
    rollback_mismatch_rate: float | None = None
    rollback_window: float | None = None
    rollback_min_runs: int | None = None


def _declares(declared: str, target: str) -> bool:
    """``declared`` (``services.archive``, or ``web.routes.*`` for every name under it) covers
    ``target`` itself, a name under a ``.*`` prefix, or a phase above it (``services``)."""
    if declared.endswith(".*"):
        prefix = declared[:-2]
        return target == prefix or target.startswith(prefix + ".") or prefix.startswith(target + ".")
    return target == declared or declared.startswith(target + ".")


def target_and_parents(target: str) -> list[str]:
    """``web.routes.archive`` -> ``[web.routes.archive, web.routes, web]``: most specific first."""
    parts = target.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


@dataclass(frozen=True)
class Flags:
    """One parsed, valid version of the flags; never changes, so its lookups can be cached."""

    path: str = DEFAULT_FILE
    exists: bool = False
    default: Stage = Stage.SYNC
    targets: Mapping[str, Stage] = field(default_factory=lambda: MappingProxyType({}))
    rollback_file: bool = False
    rollback_env: bool = False
    shadow: ShadowSettings = ShadowSettings()
    gates: Mapping[str, Gate] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}), repr=False)
    # ``known_targets``: the targets the application declares (``web.routes.*``: every name under
    # ``web.routes``); empty when the file declares none, and then every name is accepted
    known: tuple[str, ...] = ()
    _stages: dict[str, Stage] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def rollback(self) -> bool:
        """True when every target is sent back to ``sync`` (by the file or by the environment)."""
        return self.rollback_file or self.rollback_env

    def stage(self, target: str) -> Stage:
        """The stage ``target`` runs at now: ``sync`` under rollback, else the most specific key."""
        try:
            return self._stages[target]
        except KeyError:
            stage = Stage.SYNC if self.rollback else self.configured(target)[0]
            if len(self._stages) < _MAX_CACHED_TARGETS:
                self._stages[target] = stage
            return stage

    def configured(self, target: str) -> tuple[Stage, str]:
        """The stage the file gives ``target`` ignoring rollback, and the key that decided it."""
        for name in target_and_parents(target):
            if name in self.targets:
                return self.targets[name], name
        return self.default, "default"

    def source(self, target: str) -> str:
        """Which setting decided ``target``'s stage: a target key, ``default`` or the rollback."""
        if self.rollback_env:
            return f"{ENV_ROLLBACK}=1"
        if self.rollback_file:
            return "rollback"
        return self.configured(target)[1]

    def gate(self, target: str) -> Gate:
        """``target``'s promotion gate: each field from the most specific entry that sets it."""
        values: dict[str, Any] = {}
        for name in [*target_and_parents(target), "default"]:
            entry = self.gates.get(name)
            if entry is not None:
                for key, value in dataclasses.asdict(entry).items():
                    if value is not None:
                        values.setdefault(key, value)
        return Gate(**values)

    def knows(self, target: str) -> bool:
        """Is ``target`` one the application declares (or a phase above one)? True without a declaration."""
        return not self.known or any(_declares(declared, target) for declared in self.known)

    def unknown(self, target: str) -> str:
        """The one-line refusal of an undeclared ``target``: the closest known name and the list."""
        names = [name.removesuffix(".*") for name in self.known]
        close = difflib.get_close_matches(target, names, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"unknown target '{target}'; {hint}known targets (known_targets in {self.path}): {', '.join(self.known)}"

    def with_env_rollback(self, on: bool) -> Flags:
        """The same flags with the environment's rollback switch set to ``on`` (fresh cache)."""
        return dataclasses.replace(self, rollback_env=on)
