"""Promotion: move a target one stage on, only when its gate passes (or when forced, on record).

The flags file is edited through ``compat.flags.set_stage`` (validated, comments kept, atomic),
and the target's line gets an ``asyncshift:`` note saying what moved it, when, and on what
figures. A forced promotion says so in that note, with the conditions it overrode.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from compat.control.gates import Verdict, verdict
from compat.control.results import Source
from compat.flags import Flags, Stage, load_flags, set_stage


class PromotionRefused(Exception):
    """The gate failed and ``force`` was not given; ``verdict`` says which conditions and figures."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        super().__init__(f"{verdict.target} stays at {verdict.stage.value}: {verdict.explain()}")


@dataclass(frozen=True)
class Promotion:
    """A promotion done: from, to, the verdict it was based on, and the note written."""

    target: str
    before: Stage
    after: Stage
    verdict: Verdict
    forced: bool
    note: str
    flags: Flags


def _stamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def promote(
    path: str | os.PathLike | None,
    target: str,
    source: Source,
    *,
    force: bool = False,
    since: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Promotion:
    """Move ``target`` one stage on in the flags file at ``path``; raise ``PromotionRefused`` when
    its gate fails and ``force`` is false. A target at ``async``, or one the flags file's
    ``known_targets`` does not declare, raises ``ValueError``."""
    flags = load_flags(path)
    if not flags.knows(target):
        raise ValueError(flags.unknown(target))
    judged = verdict(flags, source, target, since=since)
    if judged.next is None:
        raise ValueError(judged.explain())
    if not judged.passed and judged.conditions and not force:
        raise PromotionRefused(judged)
    now = now or dt.datetime.now(dt.UTC)
    step = f"promoted {judged.stage.value} -> {judged.next.value} at {_stamp(now)}"
    if force and judged.failed:
        note = f"{step} with --force, overriding: {'; '.join(c.text for c in judged.failed)}"
    elif not judged.conditions:
        note = f"{step} ({judged.reason.split(':')[0]})"
    else:
        note = f"{step}, gate passed on {judged.summary.runs} runs"
    written = set_stage(path, target, judged.next, note=note)
    return Promotion(target, judged.stage, judged.next, judged, bool(force and judged.failed), note, written)
