"""Human date ranges ("yesterday", "last week", "1-6 to 7-6") turned into whole local days.

An archive run covers whole days of the configuration's timezone, so a range is a pair of dates
(inclusive) and becomes UTC instants only at the edge, through ``DateRange.utc_bounds``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from admin_assistant.domain.errors import Invalid
from admin_assistant.domain.models import check_timezone

ACCEPTED_FORMS = (
    "today",
    "yesterday",
    "last N days (the N whole days before today)",
    "last week (Monday to Sunday before this week)",
    "last month",
    "31-12-2024",
    "31-12 (this year)",
    "2024-12-31",
    "FROM to TO",
    "FROM..TO",
)

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)
MAX_DAYS = 3660  # ten years: an archive run is bounded work
_LAST_DAYS = re.compile(r"last\s+(\d+)\s+days?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_DAY_MONTH = re.compile(r"(\d{1,2})[-/.](\d{1,2})")
_BETWEEN = re.compile(r"\s+to\s+|\s*\.\.\s*")


@dataclass(frozen=True)
class DateRange:
    """Whole days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise Invalid(f"date range ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})")
        if self.start < EARLIEST or self.end > LATEST:  # and no UTC bound overflows a datetime
            raise Invalid(f"date range {self} must lie between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
        if self.days > MAX_DAYS:
            raise Invalid(f"date range {self} covers {self.days:,} days; at most {MAX_DAYS:,} in one run")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self, tz: str | dt.tzinfo = "UTC") -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00 local, the day after end 00:00 local), in UTC: what the queries filter by."""
        zone = _zone(tz)
        lower = dt.datetime.combine(self.start, dt.time(), zone)
        upper = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), zone)
        return lower.astimezone(dt.UTC), upper.astimezone(dt.UTC)

    def __str__(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def today_in(tz: str | dt.tzinfo = "UTC", now: dt.datetime | None = None) -> dt.date:
    """The local date in ``tz`` (the archive's "today" is the user's, not the server's)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(_zone(tz)).date()


def parse_date_range(text: str | DateRange, tz: str | dt.tzinfo = "UTC", today: dt.date | None = None) -> DateRange:
    """Parse ``text`` into a ``DateRange``; relative words count from ``today`` in ``tz``.

    Raises ``Invalid`` listing the accepted forms when nothing matches.
    """
    if isinstance(text, DateRange):
        return text
    if not isinstance(text, str):
        raise Invalid(f"date range must be text, got {type(text).__name__}; {_accepted()}")
    today = today or today_in(tz)
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise Invalid(f"date range is empty; {_accepted()}")
    named = _named_range(cleaned, today)
    if named is not None:
        return named
    parts = _BETWEEN.split(cleaned)
    if len(parts) == 2:
        start, end = (_single_day(part, today, text) for part in parts)
        if end < start:
            raise Invalid(f"date range {text!r} ends before it starts; {_accepted()}")
        return DateRange(start, end)
    if len(parts) > 2:
        raise Invalid(f"date range {text!r} has more than two ends; {_accepted()}")
    day = _single_day(cleaned, today, text)
    return DateRange(day, day)


def _named_range(text: str, today: dt.date) -> DateRange | None:
    one_day = dt.timedelta(days=1)
    if text == "today":
        return DateRange(today, today)
    if text == "yesterday":
        return DateRange(today - one_day, today - one_day)
    if text == "last week":
        this_monday = today - dt.timedelta(days=today.weekday())
        return DateRange(this_monday - dt.timedelta(days=7), this_monday - one_day)
    if text == "last month":
        last_day = today.replace(day=1) - one_day
        return DateRange(last_day.replace(day=1), last_day)
    match = _LAST_DAYS.fullmatch(text)
    if match:
        count = int(match.group(1))
        if not 1 <= count <= MAX_DAYS:
            raise Invalid(f"'last {count} days' must count between 1 and {MAX_DAYS} days")
        return DateRange(today - dt.timedelta(days=count), today - one_day)
    return None


def _single_day(part: str, today: dt.date, original: str) -> dt.date:
    part = part.strip()
    if part == "today":
        return today
    if part == "yesterday":
        return today - dt.timedelta(days=1)
    for pattern, order in ((_ISO, "ymd"), (_DAY_MONTH_YEAR, "dmy"), (_DAY_MONTH, "dm")):
        match = pattern.fullmatch(part)
        if match:
            numbers = dict(zip(order, (int(n) for n in match.groups()), strict=True))
            try:
                return dt.date(numbers.get("y", today.year), numbers["m"], numbers["d"])
            except ValueError as exc:
                raise Invalid(f"date range {original!r}: {part!r} is not a date ({exc})") from None
    raise Invalid(f"date range {original!r} is not understood; {_accepted()}")


def _accepted() -> str:
    return "accepted forms: " + ", ".join(ACCEPTED_FORMS)


def _zone(tz: str | dt.tzinfo) -> dt.tzinfo:
    return ZoneInfo(check_timezone(tz)) if isinstance(tz, str) else tz
