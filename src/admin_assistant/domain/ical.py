"""iCalendar files in and out, colour-free: parse, expand recurring events, serialise.

Import turns every VEVENT into the fields of one appointment, keyed so that importing the same
file twice finds the same rows: the UID for a single event, the UID and the recurrence instance
(``UID#RECURRENCE-ID`` in UTC) for each occurrence of a series. Series are expanded with
``recurring_ical_events`` over a bounded window (an open-ended RRULE has no last occurrence);
single events are taken whatever their date. Floating times and all-day dates are read in the
owner's timezone.

A file is untrusted work: one 200-byte event repeating every minute would expand into millions
of rows. So expansion is bounded by occurrences (``icalbounds``) and refused beyond them as
``Invalid``; and ``read_events_bounded`` runs a read whose cost cannot be told first in a child
process with a time and memory limit, since a rule that never matches keeps ``dateutil`` busy for
seconds without yielding.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import icalendar
import recurring_ical_events

from admin_assistant.domain.errors import Invalid
from admin_assistant.domain.icalbounds import (
    MAX_OCCURRENCES_PER_FILE,
    as_utc,
    check_expansion,
    check_plain_rules,
    too_many,
    uid_of,
)
from admin_assistant.domain.isolation import LimitExceeded, run_isolated
from admin_assistant.domain.models import Appointment, Sensitivity, ShowAs
from admin_assistant.domain.results import ImportResult

UTC = dt.UTC
PRODID = "-//admin-assistant//calendar export//EN"
MAX_KEY_LENGTH = 500
WINDOW_BEFORE = dt.timedelta(days=366)
WINDOW_AFTER = dt.timedelta(days=731)
READ_SECONDS = 5.0
READ_MEMORY = 1536 * 1024 * 1024
IN_PROCESS_BYTES = 256 * 1024  # a file read where the import runs: parsed in milliseconds
IN_PROCESS_STEPS = 2_000  # rule steps (of plain rules) expanded where the import runs: milliseconds

_BUSY_STATUS = {
    "FREE": ShowAs.FREE,
    "TENTATIVE": ShowAs.TENTATIVE,
    "BUSY": ShowAs.BUSY,
    "OOF": ShowAs.OOF,
    "WORKINGELSEWHERE": ShowAs.WORKING_ELSEWHERE,
}
_CLASS = {"PUBLIC": Sensitivity.NORMAL, "PRIVATE": Sensitivity.PRIVATE, "CONFIDENTIAL": Sensitivity.CONFIDENTIAL}
_CLASS_OUT = {
    Sensitivity.NORMAL: "PUBLIC",
    Sensitivity.PERSONAL: "PRIVATE",
    Sensitivity.PRIVATE: "PRIVATE",
    Sensitivity.CONFIDENTIAL: "CONFIDENTIAL",
}


@dataclass(frozen=True)
class ParsedEvents:
    """The appointments a file describes (by key, the last one of a key wins) and the events refused."""

    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    rejected: int = 0


def default_window(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Where series are expanded when the caller says nothing: a year back, two years ahead."""
    midnight = dt.datetime.combine(today, dt.time(), UTC)
    return midnight - WINDOW_BEFORE, midnight + WINDOW_AFTER


def read_events(data: bytes | str, tz: dt.tzinfo, window: tuple[dt.datetime, dt.datetime]) -> ParsedEvents:
    """Parse ``data`` into appointment fields; series expanded over ``window`` (UTC, half-open)."""
    return _read_calendar(_parse(data), tz, window)


def _read_calendar(
    calendar: icalendar.Calendar, tz: dt.tzinfo, window: tuple[dt.datetime, dt.datetime]
) -> ParsedEvents:
    vevents = list(calendar.walk("VEVENT"))
    series_uids = {uid for ev in vevents if _is_series_part(ev) and (uid := uid_of(ev))}
    events: dict[str, dict[str, Any]] = {}
    rejected = 0
    singles = [ev for ev in vevents if uid_of(ev) not in series_uids]
    for ev, series in [(ev, False) for ev in singles] + [(ev, True) for ev in _expand(calendar, window, series_uids)]:
        if str(ev.get("STATUS", "")).upper() == "CANCELLED":
            continue
        fields = _fields(ev, tz, series)
        if fields is None:
            rejected += 1
            continue
        events[fields["external_id"]] = fields
    return ParsedEvents(events, rejected)


def read_events_bounded(data: bytes | str, tz: dt.tzinfo, window: tuple[dt.datetime, dt.datetime]) -> ParsedEvents:
    """``read_events`` with its cost bounded, and refused (``Invalid``) beyond the bounds.

    Where the cost can be told before any work, the read runs here: a small file whose recurring
    events all have plain rules (counted, not walked: refused at once past the bounds, and cheap
    within ``IN_PROCESS_STEPS``), as most files are. Any other file is read in a child process
    (about 60 ms a fork): killed after ``READ_SECONDS``, refused memory past ``READ_MEMORY``."""
    if len(data) <= IN_PROCESS_BYTES:
        calendar = _parse(data)
        steps = check_plain_rules(calendar, window)  # Invalid at once past the bounds
        if steps is not None and steps <= IN_PROCESS_STEPS:
            return _read_calendar(calendar, tz, window)
    try:
        return run_isolated(read_events, data, tz, window, seconds=READ_SECONDS, memory=READ_MEMORY)
    except LimitExceeded as exc:
        raise Invalid(
            f"calendar file is too costly to import: reading and expanding it {exc}; "
            "give its recurring events an end (COUNT or UNTIL) or split the file"
        ) from None


def changes_for(existing: Appointment, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields whose value differs from ``existing``: empty when a re-import changes nothing."""
    return {name: value for name, value in fields.items() if getattr(existing, name) != value}


@dataclass(frozen=True)
class ImportPlan:
    """What an import will write: rows to add, (id, changes) to apply, and what it leaves alone."""

    new: list[Appointment]
    updates: list[tuple[int, dict[str, Any]]]
    skipped: int
    rejected: int

    def result(self) -> ImportResult:
        return ImportResult(
            added=len(self.new), updated=len(self.updates), skipped=self.skipped, rejected=self.rejected
        )


def plan_import(parsed: ParsedEvents, existing: Mapping[str, Appointment], calendar_id: int) -> ImportPlan:
    """Compare the file with the rows already in the calendar (by key): add, update or skip each event."""
    new: list[Appointment] = []
    updates: list[tuple[int, dict[str, Any]]] = []
    skipped = 0
    for key, fields in parsed.events.items():
        current = existing.get(key)
        if current is None:
            new.append(Appointment(calendar_id=calendar_id, **fields))
        elif changes := changes_for(current, fields):
            updates.append((current.id, changes))
        else:
            skipped += 1
    return ImportPlan(new, updates, skipped, parsed.rejected)


def write_calendar(appointments: Iterable[Appointment], name: str, tz: dt.tzinfo) -> bytes:
    """One VCALENDAR with a VEVENT per appointment; each UID is the appointment's key, so a
    re-import of the export finds the same rows."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for appointment in appointments:
        calendar.add_component(_vevent(appointment, tz))
    return calendar.to_ical()


def _parse(data: bytes | str) -> icalendar.Calendar:
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data or not data.strip():
        raise Invalid("calendar file is empty")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as exc:  # noqa: BLE001 - icalendar raises ValueError and friends, with the line at fault
        raise Invalid(f"not an iCalendar file: {exc}") from None
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise Invalid("not an iCalendar file: it holds no VCALENDAR")
    return calendar


def _expand(
    calendar: icalendar.Calendar, window: tuple[dt.datetime, dt.datetime], series_uids: set[str]
) -> list[icalendar.Event]:
    if not series_uids:
        return []
    check_plain_rules(calendar, window)
    try:
        query = recurring_ical_events.of(calendar)
        check_expansion(query, window)
        occurrences = query.between(*window)
    except Invalid:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken RRULE or RECURRENCE-ID: say so rather than fail obscurely
        raise Invalid(f"calendar file has a recurring event that cannot be expanded: {exc}") from None
    if len(occurrences) > MAX_OCCURRENCES_PER_FILE:  # RDATE lists too (a file's size bounds those)
        raise too_many("the file's recurring events have", MAX_OCCURRENCES_PER_FILE, window)
    return [ev for ev in occurrences if uid_of(ev) in series_uids]


def _is_series_part(ev: icalendar.Event) -> bool:
    return any(name in ev for name in ("RRULE", "RDATE", "RECURRENCE-ID"))


def _fields(ev: icalendar.Event, tz: dt.tzinfo, series: bool) -> dict[str, Any] | None:
    try:
        raw_start, raw_end = ev.start, ev.end
    except Exception:  # noqa: BLE001 - no DTSTART, or an end that cannot be worked out
        return None
    start, end = as_utc(raw_start, tz), as_utc(raw_end, tz)
    if end <= start:
        return None  # a zero-length event is not an appointment
    all_day = not isinstance(raw_start, dt.datetime)
    uid = uid_of(ev)
    subject = _text(ev, "SUMMARY")
    recurrence_id = _instance_id(ev, tz) if series else None
    ical: dict[str, Any] = {"uid": uid or None, "recurrence_id": recurrence_id, "all_day": all_day}
    description = _text(ev, "DESCRIPTION")
    if description:
        ical["description"] = description
    return {
        "start": start,
        "end": end,
        "subject": subject[:500],
        "location": _text(ev, "LOCATION")[:500],
        "categories": _categories(ev),
        "show_as": _show_as(ev),
        "sensitivity": _CLASS.get(_text(ev, "CLASS").upper(), Sensitivity.NORMAL),
        "recurrence_rule": None,
        "external_id": _key(uid, recurrence_id, subject, start),
        "payload": {"ical": ical},
    }


def _instance_id(ev: icalendar.Event, tz: dt.tzinfo) -> str | None:
    prop = ev.get("RECURRENCE-ID")
    value = getattr(prop, "dt", None)
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        return value.strftime("%Y%m%d")
    return as_utc(value, tz).strftime("%Y%m%dT%H%M%SZ")


def _key(uid: str, recurrence_id: str | None, subject: str, start: dt.datetime) -> str:
    if not uid:  # a UID is required by RFC 5545; without one, what the event is stands in for it
        return "nouid-" + hashlib.sha256(f"{subject}|{start.isoformat()}".encode()).hexdigest()[:32]
    key = f"{uid}#{recurrence_id}" if recurrence_id else uid
    if len(key) > MAX_KEY_LENGTH:
        return "uidsha-" + hashlib.sha256(key.encode()).hexdigest()
    return key


def _text(ev: icalendar.Event, name: str) -> str:
    value = ev.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return _printable(str(value)) if value is not None else ""


def _printable(text: str) -> str:
    """Stripped, without NUL characters (which PostgreSQL cannot store): a file is taken as it is."""
    return text.replace("\x00", "").strip()


def _categories(ev: icalendar.Event) -> list[str]:
    raw = ev.get("CATEGORIES")
    items = raw if isinstance(raw, list) else [raw] if raw is not None else []
    names = [_printable(str(cat)) for item in items for cat in getattr(item, "cats", [item])]
    return [name for name in names if name]


def _show_as(ev: icalendar.Event) -> ShowAs:
    busy = _text(ev, "X-MICROSOFT-CDO-BUSYSTATUS").upper()
    if busy in _BUSY_STATUS:
        return _BUSY_STATUS[busy]
    if _text(ev, "TRANSP").upper() == "TRANSPARENT":
        return ShowAs.FREE
    if _text(ev, "STATUS").upper() == "TENTATIVE":
        return ShowAs.TENTATIVE
    return ShowAs.BUSY


def _vevent(appointment: Appointment, tz: dt.tzinfo) -> icalendar.Event:
    ev = icalendar.Event()
    ev.add("uid", appointment.external_id or f"aa-{appointment.id}@admin-assistant")
    ev.add("dtstamp", appointment.updated_at or appointment.created_at or dt.datetime.now(UTC))
    ical = (appointment.payload or {}).get("ical") or {}
    if ical.get("all_day"):
        first = appointment.start.astimezone(tz).date()
        after = max(appointment.end.astimezone(tz).date(), first + dt.timedelta(days=1))
        ev.add("dtstart", first)
        ev.add("dtend", after)
    else:
        ev.add("dtstart", appointment.start.astimezone(UTC))
        ev.add("dtend", appointment.end.astimezone(UTC))
    if appointment.subject:
        ev.add("summary", appointment.subject)
    if appointment.location:
        ev.add("location", appointment.location)
    if ical.get("description"):
        ev.add("description", ical["description"])
    if appointment.categories:
        ev.add("categories", list(appointment.categories))
    show_as = ShowAs(appointment.show_as or ShowAs.BUSY)
    ev.add("transp", "TRANSPARENT" if show_as is ShowAs.FREE else "OPAQUE")
    if show_as is ShowAs.TENTATIVE:
        ev.add("status", "TENTATIVE")
    busy = {member: name for name, member in _BUSY_STATUS.items()}.get(show_as)
    if busy:
        ev.add("x-microsoft-cdo-busystatus", busy)
    ev.add("class", _CLASS_OUT[Sensitivity(appointment.sensitivity or Sensitivity.NORMAL)])
    return ev
