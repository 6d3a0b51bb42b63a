"""Demo data for a first run: two people, their calendars, a week of appointments, an archive
configuration and one archive run, so a new user sees a working dashboard at once.

Made through the sync services on the sync engine only: the server's event loop owns the async
engine, and creating data before it starts must not bind that engine to another loop.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from admin_assistant.domain.dateranges import today_in
from admin_assistant.domain.models import CalendarKind
from admin_assistant.sync.services import Services, units_of
from compat.db import Database

PEOPLE = (
    ("ada@example.org", "Ada Lovelace", "Europe/London"),
    ("grace@example.org", "Grace Hopper", "America/New_York"),
)
# (hour, minutes long, subject, location) for each day of the demo week
DAY_PLAN = (
    (9, 30, "Stand-up", "Video call"),
    (11, 60, "Design review", "Room 4"),
    (14, 90, "Deep work", ""),
    (16, 45, "One-to-one", "Café"),
)


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    token: str


def ensure_demo_data(database: Database, credentials: Path) -> list[DemoUser] | None:
    """Create the demo data when the database has no user yet; None when it already had some.

    The demo tokens are written to ``credentials`` (mode 0600) so later runs can show them again.
    """
    services = Services.on(units_of(database))
    if services.users.list(limit=1):
        return None
    made = []
    for email, name, timezone in PEOPLE:
        user, token = services.users.create(email, name, timezone=timezone)
        _fill(services, user.id, timezone)
        made.append(DemoUser(email, name, token))
    _write_credentials(credentials, made)
    return made


def _fill(services: Services, owner_id: int, timezone: str) -> None:
    work = services.calendars.create(owner_id, "Work")
    services.calendars.create(owner_id, "Personal")
    archive = services.calendars.create(owner_id, "Work archive", kind=CalendarKind.ARCHIVE)
    zone, today = ZoneInfo(timezone), today_in(timezone)
    for offset in range(-3, 4):
        day = today + dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for hour, minutes, subject, location in DAY_PLAN:
            start = dt.datetime.combine(day, dt.time(hour), zone)
            services.appointments.create(
                owner_id,
                work.id,
                start,
                start + dt.timedelta(minutes=minutes),
                subject=subject,
                location=location,
                external_id=f"demo-{day.isoformat()}-{hour}",
            )
    configuration = services.archive_configurations.create(
        owner_id, "Work, nightly", work.id, archive.id, schedule="23:30"
    )
    services.archive.archive(owner_id, configuration.id, "last 7 days")


def _write_credentials(path: Path, users: list[DemoUser]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for user in users:
            fh.write(f"{user.email}\t{user.name}\t{user.token}\n")


def read_credentials(path: Path) -> list[DemoUser]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [DemoUser(*line.split("\t")) for line in lines if line.count("\t") == 2]
