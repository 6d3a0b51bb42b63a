"""Small builders for test rows: valid by default, any field overridable."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from admin_assistant.domain.models import (
    Appointment,
    ArchiveConfiguration,
    ArchiveRun,
    Calendar,
    CalendarKind,
    User,
)

UTC = dt.UTC
_numbers = itertools.count(1)


def at(day: int, hour: int = 9, minute: int = 0, month: int = 6, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def user(**fields: Any) -> User:
    n = next(_numbers)
    return User(**{"email": f"user{n}@example.org", "display_name": f"User {n}", **fields})


def calendar(owner: User, **fields: Any) -> Calendar:
    return Calendar(
        **{"owner_id": owner.id, "name": f"Calendar {next(_numbers)}", "kind": CalendarKind.SOURCE, **fields}
    )


def appointment(cal: Calendar, start: dt.datetime | None = None, hours: float = 1, **fields: Any) -> Appointment:
    start = start or at(2)
    return Appointment(
        **{
            "calendar_id": cal.id,
            "start": start,
            "end": start + dt.timedelta(hours=hours),
            "subject": "Meeting",
            **fields,
        }
    )


def configuration(owner: User, source: Calendar, archive: Calendar, **fields: Any) -> ArchiveConfiguration:
    return ArchiveConfiguration(
        **{
            "owner_id": owner.id,
            "name": f"Archive {next(_numbers)}",
            "source_calendar_id": source.id,
            "archive_calendar_id": archive.id,
            **fields,
        }
    )


def run(config: ArchiveConfiguration, **fields: Any) -> ArchiveRun:
    return ArchiveRun(
        **{
            "configuration_id": config.id,
            "range_start": dt.date(2025, 6, 1),
            "range_end": dt.date(2025, 6, 7),
            **fields,
        }
    )
