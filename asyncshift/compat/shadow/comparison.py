"""Comparing: two outcomes judged as a match, a mismatch, an error or a timeout, with the fields
that differed written as ``path: old != new`` lines."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from compat.shadow.normal_form import normalise
from compat.shadow.outcome import Outcome

MAX_DIFF_LINES = 8
MAX_VALUE_CHARS = 120
_INDEX = re.compile(r"\[\d+\]")


def differences(control: Any, candidate: Any, path: str = "$") -> list[str]:
    """Where two normalised values differ, as ``path: control != candidate`` lines."""
    if type(control) is not type(candidate):
        return [f"{path}: {_short(control)} != {_short(candidate)}"]
    if isinstance(control, dict):
        found: list[str] = []
        for key in sorted(set(control) | set(candidate)):
            if key not in candidate:
                found.append(f"{path}.{key}: {_short(control[key])} != (missing)")
            elif key not in control:
                found.append(f"{path}.{key}: (missing) != {_short(candidate[key])}")
            else:
                found.extend(differences(control[key], candidate[key], f"{path}.{key}"))
        return found
    if isinstance(control, list):
        if len(control) != len(candidate):
            return [f"{path}: {len(control)} items != {len(candidate)} items"]
        found = []
        for index, (a, b) in enumerate(zip(control, candidate, strict=True)):
            found.extend(differences(a, b, f"{path}[{index}]"))
        return found
    return [] if control == candidate else [f"{path}: {_short(control)} != {_short(candidate)}"]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


def field_path(diff_line: str) -> str:
    """``$.items[3].at: 'x' != 'y'`` -> ``$.items[*].at``: the field, whatever the row."""
    path = diff_line.split(": ", 1)[0]
    return _INDEX.sub("[*]", path)


@dataclass(frozen=True)
class Comparison:
    """One side-by-side run, as recorded. ``served`` is the side the caller got: ``old`` or ``new``."""

    target: str
    method: str
    stage: str
    served: str
    status: str  # match | mismatch | error | timeout
    diff: str = ""
    control_ms: float = 0.0
    candidate_ms: float | None = None
    control_error: str | None = None
    candidate_error: str | None = None
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def matched(self) -> bool:
        return self.status == "match"


def compare(
    target: str,
    method: str,
    stage: str,
    served: str,
    control: Outcome,
    candidate: Outcome,
    ignore: Iterable[str] = (),
    noise: Callable[[list[str]], list[str]] | None = None,
) -> Comparison:
    """Judge a run: equal normalised values (or the same exception type on both sides) match.
    ``noise`` (see ``compat.noise``) is handed the differences and keeps those that are not noise."""
    common = dict(
        target=target,
        method=method,
        stage=stage,
        served=served,
        control_ms=control.seconds * 1000,
        candidate_ms=None if candidate.timed_out else candidate.seconds * 1000,
        control_error=control.error_text,
        candidate_error=candidate.error_text,
    )
    if candidate.timed_out:
        return Comparison(status="timeout", **common)
    if control.error is not None or candidate.error is not None:
        same = type(control.error) is type(candidate.error) and control.error is not None
        if same:
            return Comparison(status="match", **common)
        diff = f"control {control.error_text} / candidate {candidate.error_text}"
        return Comparison(status="error", diff=diff, **common)
    old, new = (control, candidate) if served == "old" else (candidate, control)
    found = differences(normalise(old.value, ignore), normalise(new.value, ignore))  # "path: old != new"
    if found and noise is not None:
        found = noise(found)
    if not found:
        return Comparison(status="match", **common)
    more = f"\n... and {len(found) - MAX_DIFF_LINES} more" if len(found) > MAX_DIFF_LINES else ""
    return Comparison(status="mismatch", diff="\n".join(found[:MAX_DIFF_LINES]) + more, **common)
