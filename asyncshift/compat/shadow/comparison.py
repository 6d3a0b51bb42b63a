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


def differences(old: Any, new: Any, path: str = "$") -> list[str]:
    """Where two normalised values differ, as ``path: old != new`` lines: the old path's value first
    (``noise`` hands it two runs of one path, first run first)."""
    if type(old) is not type(new):
        return [f"{path}: {_short(old)} != {_short(new)}"]
    if isinstance(old, dict):
        found: list[str] = []
        for key in sorted(set(old) | set(new)):
            if key not in new:
                found.append(f"{path}.{key}: {_short(old[key])} != (missing)")
            elif key not in old:
                found.append(f"{path}.{key}: (missing) != {_short(new[key])}")
            else:
                found.extend(differences(old[key], new[key], f"{path}.{key}"))
        return found
    if isinstance(old, list):
        if len(old) != len(new):
            return [f"{path}: {len(old)} items != {len(new)} items"]
        found = []
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            found.extend(differences(a, b, f"{path}[{index}]"))
        return found
    return [] if old == new else [f"{path}: {_short(old)} != {_short(new)}"]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


def field_path(diff_line: str) -> str:
    """``$.items[3].at: 'x' != 'y'`` -> ``$.items[*].at``: the field, whatever the row."""
    path = diff_line.split(": ", 1)[0]
    return _INDEX.sub("[*]", path)


@dataclass(frozen=True)
class Comparison:
    """One side-by-side check, as recorded. ``served`` is the served side, the path the caller got:
    ``old`` or ``new``; the other is the checking side."""

    target: str
    method: str
    stage: str
    served: str
    status: str  # match | mismatch | error | timeout
    diff: str = ""
    # The shadow_results columns' names (README, Glossary): control_* the served side, candidate_* the checking side
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
    served_side: str,
    served: Outcome,
    checking: Outcome,
    ignore: Iterable[str] = (),
    noise: Callable[[list[str]], list[str]] | None = None,
) -> Comparison:
    """Judge a check: ``served`` is what the served side (``served_side``: ``old`` or ``new``) did,
    ``checking`` what the checking side did. Equal normalised values (or the same exception type on
    both sides) match. ``noise`` (see ``compat.noise``) is handed the differences and keeps those
    that are not noise."""
    common = dict(
        target=target,
        method=method,
        stage=stage,
        served=served_side,
        control_ms=served.seconds * 1000,
        candidate_ms=None if checking.timed_out else checking.seconds * 1000,
        control_error=served.error_text,
        candidate_error=checking.error_text,
    )
    if checking.timed_out:
        return Comparison(status="timeout", **common)
    if served.error is not None or checking.error is not None:
        same = type(served.error) is type(checking.error) and served.error is not None
        if same:
            return Comparison(status="match", **common)
        diff = f"served {served.error_text} / checking {checking.error_text}"
        return Comparison(status="error", diff=diff, **common)
    old, new = (served, checking) if served_side == "old" else (checking, served)
    found = differences(normalise(old.value, ignore), normalise(new.value, ignore))  # "path: old != new"
    if found and noise is not None:
        found = noise(found)
    if not found:
        return Comparison(status="match", **common)
    more = f"\n... and {len(found) - MAX_DIFF_LINES} more" if len(found) > MAX_DIFF_LINES else ""
    return Comparison(status="mismatch", diff="\n".join(found[:MAX_DIFF_LINES]) + more, **common)
