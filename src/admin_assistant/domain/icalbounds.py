"""How much work a file's recurring events would be, counted before they are expanded.

A 200-byte VEVENT repeating every minute with no end expands into millions of occurrences. The
bounds: occurrences in the expansion window per series and per file, and the rule steps taken
from each DTSTART to the window's end (occurrences before the window cost a step too, which is
what a rule starting in the year 1 would spend). Past any of them the file is ``Invalid``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
from dateutil.rrule import rrule

from admin_assistant.domain.errors import Invalid

UTC = dt.UTC
MAX_OCCURRENCES_PER_SERIES = 5_000  # a daily event over the default window has 1,097
MAX_OCCURRENCES_PER_FILE = 20_000
MAX_RULE_STEPS_PER_FILE = 25_000  # occurrences before the window count here: rules start at DTSTART

_PERIODS = {
    "SECONDLY": dt.timedelta(seconds=1),
    "MINUTELY": dt.timedelta(minutes=1),
    "HOURLY": dt.timedelta(hours=1),
    "DAILY": dt.timedelta(days=1),
    "WEEKLY": dt.timedelta(weeks=1),
}
_PLAIN_PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"})


def check_plain_rules(calendar: icalendar.Calendar, window: tuple[dt.datetime, dt.datetime]) -> int | None:
    """The usual attack, counted without a step: a rule with no BY-part repeats once per period,
    so its steps and its occurrences in the window are arithmetic. Refused here in microseconds,
    where walking it would take a fraction of a second; other rules are walked.

    Returns the steps all the file's rules take when every one of them is plain (so the file's
    whole expansion costs that many steps, and can be run here), else ``None``."""
    start, end = window
    in_file = steps = 0
    all_plain = True
    for ev in calendar.walk("VEVENT"):
        if "EXRULE" in ev:  # deprecated by RFC 5545, but expanded: walked, not counted
            all_plain = False
        try:
            rules, first = ev.get("RRULE"), as_utc(ev.start, UTC)
        except Exception:  # noqa: BLE001 - no usable DTSTART or RRULE: the expansion says what is wrong
            all_plain = all_plain and "RRULE" not in ev
            continue
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            try:
                period = _plain_period(rule)
                if period is None:
                    all_plain = False
                    continue
                until = rule.get("UNTIL")
                last = min(end, as_utc(until[0], UTC)) if until else end
                count = (last - first) // period + 1 if last >= first else 0
                if rule.get("COUNT"):
                    count = min(count, max(0, int(rule["COUNT"][0])))
            except Exception:  # noqa: BLE001 - a malformed rule: the expansion says what is wrong
                all_plain = False
                continue
            skipped = max(0, -((first - start) // period)) if start > first else 0
            in_series = max(0, count - skipped)
            steps, in_file = steps + count, in_file + in_series
            if in_series > MAX_OCCURRENCES_PER_SERIES:
                raise too_many(f"the recurring event {uid_of(ev)!r} has", MAX_OCCURRENCES_PER_SERIES, window)
            if in_file > MAX_OCCURRENCES_PER_FILE:
                raise too_many("the file's recurring events have", MAX_OCCURRENCES_PER_FILE, window)
            if steps > MAX_RULE_STEPS_PER_FILE:
                raise too_many_steps(uid_of(ev), end)
    return steps if all_plain else None


def _plain_period(rule: Any) -> dt.timedelta | None:
    """The time between a rule's occurrences when it has no BY-part (and a fixed period), else ``None``."""
    freq = (rule.get("FREQ") or [""])[0]
    if not set(rule) <= _PLAIN_PARTS or freq not in _PERIODS:
        return None
    interval = int((rule.get("INTERVAL") or [1])[0])
    return _PERIODS[freq] * interval if interval >= 1 else None


def check_expansion(query: Any, window: tuple[dt.datetime, dt.datetime]) -> None:
    """Walk every RRULE from its DTSTART to the window's end, counting, before anything is
    expanded: ``Invalid`` as soon as a series or the file passes its bounds."""
    start, end = window
    naive_start, naive_end = (
        (start - dt.timedelta(days=1)).replace(tzinfo=None),
        (end + dt.timedelta(days=1)).replace(tzinfo=None),
    )  # floating and all-day rules yield naive times; a day's slack either side covers every zone
    in_file = steps = 0
    for series in query.series:
        in_series, uid = 0, str(series.uid)
        for rule in getattr(series.recurrence, "rrules", ()):
            if not isinstance(rule, rrule):  # the rruleset beside them holds DTSTART and RDATEs only
                continue
            for when in rule:
                aware = when.tzinfo is not None
                if when > (end if aware else naive_end):
                    break
                steps += 1
                if steps > MAX_RULE_STEPS_PER_FILE:
                    raise too_many_steps(uid, end)
                if when >= (start if aware else naive_start):
                    in_series += 1
                    in_file += 1
                    if in_series > MAX_OCCURRENCES_PER_SERIES:
                        raise too_many(f"the recurring event {uid!r} has", MAX_OCCURRENCES_PER_SERIES, window)
                    if in_file > MAX_OCCURRENCES_PER_FILE:
                        raise too_many("the file's recurring events have", MAX_OCCURRENCES_PER_FILE, window)


def too_many_steps(uid: str, end: dt.datetime) -> Invalid:
    return Invalid(
        f"calendar file's recurring events take more than {MAX_RULE_STEPS_PER_FILE:,} steps from their "
        f"start to {end.date()} (event {uid!r}); start them later or give them an end (COUNT or UNTIL)"
    )


def too_many(what: str, limit: int, window: tuple[dt.datetime, dt.datetime]) -> Invalid:
    return Invalid(
        f"calendar file: {what} more than {limit:,} occurrences between {window[0].date()} and "
        f"{window[1].date()}; give it an end (COUNT or UNTIL) or a longer interval"
    )


def as_utc(value: dt.date | dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """A DTSTART or UNTIL in UTC; a date or a floating time read in ``tz``."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(), tz).astimezone(UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def uid_of(ev: icalendar.Event) -> str:
    return str(ev.get("UID", "")).replace("\x00", "").strip()  # no NUL: PostgreSQL cannot store one
