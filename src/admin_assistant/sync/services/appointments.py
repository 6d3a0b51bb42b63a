"""Appointments, owner-scoped, and iCalendar files in and out (the same on both stacks).

The parsing, expansion and comparison live in ``admin_assistant.domain.ical``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from admin_assistant.domain.dateranges import DateRange, today_in
from admin_assistant.domain.errors import Invalid
from admin_assistant.domain.fields import APPOINTMENT_FIELDS, checked
from admin_assistant.domain.ical import default_window, plan_import, read_events_bounded, write_calendar
from admin_assistant.domain.keys import batched
from admin_assistant.domain.models import Appointment
from admin_assistant.domain.queries import DEFAULT_LIMIT
from admin_assistant.domain.results import ImportResult

from ..repositories import Repositories
from .base import Service


class AppointmentsService(Service):
    """A user's appointments; another user's ids answer ``NotFound``."""

    read_methods = frozenset({"get", "list", "count", "export_ics"})

    def create(
        self, owner_id: int, calendar_id: int, start: dt.datetime, end: dt.datetime, **fields: Any
    ) -> Appointment:
        values = checked("appointment", {"start": start, "end": end, **fields}, APPOINTMENT_FIELDS)
        appointment = Appointment(calendar_id=calendar_id, **values)
        with self.units() as repos:
            repos.calendars.get(calendar_id, owner_id=owner_id)
            return repos.appointments.add(appointment)

    def get(self, owner_id: int, appointment_id: int) -> Appointment:
        with self.units() as repos:
            return repos.appointments.get(appointment_id, owner_id=owner_id)

    def update(self, owner_id: int, appointment_id: int, changes: Mapping[str, Any]) -> Appointment:
        values = checked("appointment", changes, APPOINTMENT_FIELDS)
        with self.units() as repos:
            return repos.appointments.update(appointment_id, values, owner_id=owner_id)

    def delete(self, owner_id: int, appointment_id: int) -> None:
        with self.units() as repos:
            repos.appointments.delete(appointment_id, owner_id=owner_id)

    def list(
        self,
        owner_id: int,
        calendar_id: int,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        offset: int = 0,
        limit: int | None = DEFAULT_LIMIT,
    ) -> list[Appointment]:
        """The calendar's appointments that overlap [start, end), in start order, one page at a time.

        One query: the page is filtered by owner, so only an empty page (or refused arguments, which
        a foreign calendar's ``NotFound`` used to precede) needs the calendar checked.
        """
        with self.units() as repos:
            return _owned(
                repos,
                owner_id,
                calendar_id,
                lambda: repos.appointments.list(
                    owner_id=owner_id, calendar_id=calendar_id, start=start, end=end, offset=offset, limit=limit
                ),
            )

    def count(
        self, owner_id: int, calendar_id: int, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> int:
        """How many of the calendar's appointments overlap [start, end); one query, as ``list``."""
        with self.units() as repos:
            return _owned(
                repos,
                owner_id,
                calendar_id,
                lambda: repos.appointments.count(owner_id=owner_id, calendar_id=calendar_id, start=start, end=end),
            )

    def import_ics(
        self,
        owner_id: int,
        calendar_id: int,
        data: bytes,
        *,
        window: DateRange | None = None,
        today: dt.date | None = None,
        timezone: str | None = None,
    ) -> ImportResult:
        """Add or update the file's events in the calendar, by UID (and recurrence instance).

        Series are expanded over ``window`` (whole days in the owner's timezone), by default a year
        back and two years ahead of ``today``. Importing the same file again changes nothing.
        The file is read and expanded before the unit of work that writes, in a child process with
        a time and memory limit (``read_events_bounded``), so no transaction or lock is held
        meanwhile. ``timezone``: the owner's, when the caller has it (the web has the signed-in
        user, and checks the calendar first): then a refused file costs no database work at all.
        """
        if timezone is None:
            with self.units() as repos:
                owner = repos.users.get(owner_id)
                repos.calendars.get(calendar_id, owner_id=owner_id)
                timezone = owner.timezone
        tz = ZoneInfo(timezone)
        bounds = window.utc_bounds(tz) if window else default_window(today or today_in(tz))
        parsed = read_events_bounded(data, tz, bounds)  # asyncshift: to_thread (CPU work)
        with self.units() as repos:
            repos.calendars.get(calendar_id, owner_id=owner_id)  # still there, and still theirs
            existing: dict[str, Appointment] = {}
            for keys in batched(parsed.events):
                found = repos.appointments.list(calendar_id=calendar_id, external_ids=keys, limit=None)
                existing.update((a.external_id, a) for a in found)
            plan = plan_import(parsed, existing, calendar_id)
            for appointment_id, changes in plan.updates:
                repos.appointments.update(appointment_id, changes)
            repos.appointments.add_all(plan.new)
        return plan.result()

    def export_ics(
        self, owner_id: int, calendar_id: int, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> bytes:
        """The calendar (or the part overlapping [start, end)) as an iCalendar file."""
        with self.units() as repos:
            owner = repos.users.get(owner_id)
            calendar = repos.calendars.get(calendar_id, owner_id=owner_id)
            appointments = repos.appointments.list(calendar_id=calendar_id, start=start, end=end, limit=None)
        return write_calendar(appointments, calendar.name, ZoneInfo(owner.timezone))


def _owned(repos: Repositories, owner_id: int, calendar_id: int, read: Callable[[], Any]) -> Any:
    """``read()``, filtered by owner, with the calendar looked up only when it finds nothing or
    refuses its arguments: another user's calendar still answers ``NotFound`` (and before an
    ``Invalid``, as when the calendar was looked up first), in one query the rest of the time."""
    try:
        found = read()
    except Invalid:
        repos.calendars.get(calendar_id, owner_id=owner_id)
        raise
    if not found:
        repos.calendars.get(calendar_id, owner_id=owner_id)
    return found
