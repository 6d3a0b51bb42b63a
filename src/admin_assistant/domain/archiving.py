"""What an archive run decides, colour-free: the key of a copy, the copy itself, the overlaps,
and the changes that close a run. The services only fetch and store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from admin_assistant.domain.models import Appointment, RunStatus, ShowAs, utcnow

MAX_ERROR_LENGTH = 2000


def archive_key(source: Appointment) -> str:
    """The key a copy is known by in its archive calendar: the source's external id, or
    ``aa:<source id>`` when it has none. Unique per archive calendar, so a copy is made once."""
    return source.external_id or f"aa:{source.id}"


def archive_copy(source: Appointment, archive_calendar_id: int) -> Appointment:
    """A new appointment in the archive calendar with the source's content, marked archived."""
    return Appointment(
        calendar_id=archive_calendar_id,
        start=source.start,
        end=source.end,
        subject=source.subject,
        location=source.location,
        categories=list(source.categories or []),
        show_as=source.show_as,
        sensitivity=source.sensitivity,
        recurrence_rule=source.recurrence_rule,
        external_id=archive_key(source),
        payload=dict(source.payload) if source.payload else None,
        archived=True,
    )


def overlapping(appointments: Sequence[Appointment]) -> set[int]:
    """Indexes of the appointments that overlap at least one other (a sweep by start time).

    An appointment shown as free blocks no time, so it overlaps nothing.
    """
    busy = sorted(
        (i for i, a in enumerate(appointments) if a.show_as != ShowAs.FREE),
        key=lambda i: (appointments[i].start, appointments[i].end),
    )
    found: set[int] = set()
    latest: int | None = None  # the appointment seen so far that ends last
    for i in busy:
        current = appointments[i]
        if latest is not None and current.start < appointments[latest].end:
            found.update((i, latest))
        if latest is None or current.end > appointments[latest].end:
            latest = i
    return found


@dataclass(frozen=True)
class RunCounts:
    copied: int = 0
    skipped: int = 0
    overlaps: int = 0
    removed: int = 0


@dataclass(frozen=True)
class CopyPlan:
    """The copies a run will add, and what it found: sources already archived, overlapping sources."""

    copies: list[Appointment]
    skipped: int
    overlaps: int

    def counts(self, removed: int = 0) -> RunCounts:
        return RunCounts(copied=len(self.copies), skipped=self.skipped, overlaps=self.overlaps, removed=removed)


def plan_copies(sources: Sequence[Appointment], archived_keys: set[str], archive_calendar_id: int) -> CopyPlan:
    """Copy each source not yet in the archive calendar (by ``archive_key``), once."""
    seen = set(archived_keys)
    copies: list[Appointment] = []
    for source in sources:
        key = archive_key(source)
        if key not in seen:
            seen.add(key)
            copies.append(archive_copy(source, archive_calendar_id))
    return CopyPlan(copies, skipped=len(sources) - len(copies), overlaps=len(overlapping(sources)))


def succeeded(counts: RunCounts, now: dt.datetime | None = None) -> dict[str, Any]:
    """The changes that close a run that worked."""
    return {
        "status": RunStatus.SUCCEEDED,
        "copied": counts.copied,
        "skipped": counts.skipped,
        "overlaps": counts.overlaps,
        "removed": counts.removed,
        "finished_at": now or utcnow(),
        "error": None,
    }


def failed(error: BaseException, now: dt.datetime | None = None) -> dict[str, Any]:
    """The changes that close a run that raised: nothing it did was kept, so every count is 0."""
    message = f"{type(error).__name__}: {error}"
    return {
        "status": RunStatus.FAILED,
        "copied": 0,
        "skipped": 0,
        "overlaps": 0,
        "removed": 0,
        "finished_at": now or utcnow(),
        "error": message[:MAX_ERROR_LENGTH],
    }
