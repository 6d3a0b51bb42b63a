"""Human date ranges: pure unit tests, with ``today`` fixed (a Wednesday)."""

from __future__ import annotations

import datetime as dt

import pytest

from admin_assistant.domain.dateranges import DateRange, parse_date_range, today_in
from admin_assistant.domain.errors import Invalid

TODAY = dt.date(2025, 6, 11)  # Wednesday
D = dt.date


def parse(text: str, today: dt.date = TODAY) -> DateRange:
    return parse_date_range(text, "Europe/Paris", today=today)


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("today", D(2025, 6, 11), D(2025, 6, 11)),
        ("yesterday", D(2025, 6, 10), D(2025, 6, 10)),
        ("  Yesterday ", D(2025, 6, 10), D(2025, 6, 10)),
        ("last 7 days", D(2025, 6, 4), D(2025, 6, 10)),
        ("last 1 day", D(2025, 6, 10), D(2025, 6, 10)),
        ("last week", D(2025, 6, 2), D(2025, 6, 8)),
        ("last month", D(2025, 5, 1), D(2025, 5, 31)),
        ("31-12-2024", D(2024, 12, 31), D(2024, 12, 31)),
        ("1-6 to 7-6", D(2025, 6, 1), D(2025, 6, 7)),
        ("2024-06-01", D(2024, 6, 1), D(2024, 6, 1)),
        ("2024-06-01 to 2024-06-07", D(2024, 6, 1), D(2024, 6, 7)),
        ("2024-06-01..2024-06-07", D(2024, 6, 1), D(2024, 6, 7)),
        ("1-6-2024 to 2024-06-03", D(2024, 6, 1), D(2024, 6, 3)),
        ("yesterday to today", D(2025, 6, 10), D(2025, 6, 11)),
    ],
)
def test_accepted_forms(text, start, end):
    assert parse(text) == DateRange(start, end)


def test_last_week_on_a_monday_is_the_whole_previous_week():
    assert parse("last week", today=D(2025, 6, 9)) == DateRange(D(2025, 6, 2), D(2025, 6, 8))


def test_last_week_on_a_sunday_is_still_the_week_before_this_one():
    assert parse("last week", today=D(2025, 6, 15)) == DateRange(D(2025, 6, 2), D(2025, 6, 8))


def test_last_month_in_january_is_december_of_last_year():
    assert parse("last month", today=D(2025, 1, 15)) == DateRange(D(2024, 12, 1), D(2024, 12, 31))


def test_last_month_in_march_ends_on_the_last_day_of_february():
    assert parse("last month", today=D(2024, 3, 31)) == DateRange(D(2024, 2, 1), D(2024, 2, 29))


def test_yesterday_on_new_years_day_is_in_the_last_year():
    assert parse("yesterday", today=D(2025, 1, 1)) == DateRange(D(2024, 12, 31), D(2024, 12, 31))


def test_day_month_without_year_uses_the_current_year():
    assert parse("31-12", today=D(2023, 2, 1)) == DateRange(D(2023, 12, 31), D(2023, 12, 31))


@pytest.mark.parametrize(
    "text", ["", "   ", "next week", "32-1-2025", "2025-02-30", "7-6 to 1-6", "1-6 to 2-6 to 3-6", "last 0 days"]
)
def test_bad_input_is_invalid(text):
    with pytest.raises(Invalid):
        parse(text)


def test_invalid_message_lists_the_accepted_forms():
    with pytest.raises(Invalid, match=r"accepted forms: today, yesterday, last N days.*2024-12-31"):
        parse("fortnight")


def test_a_range_that_is_not_text_is_invalid():
    with pytest.raises(Invalid):
        parse_date_range(20250601)  # type: ignore[arg-type]


def test_a_date_range_passes_through():
    given = DateRange(D(2025, 6, 1), D(2025, 6, 2))
    assert parse_date_range(given) is given


def test_a_range_cannot_end_before_it_starts():
    with pytest.raises(Invalid, match="before it starts"):
        DateRange(D(2025, 6, 2), D(2025, 6, 1))


def test_utc_bounds_are_local_midnights():
    lower, upper = DateRange(D(2025, 6, 1), D(2025, 6, 7)).utc_bounds("Europe/Paris")
    assert lower == dt.datetime(2025, 5, 31, 22, 0, tzinfo=dt.UTC)
    assert upper == dt.datetime(2025, 6, 7, 22, 0, tzinfo=dt.UTC)
    assert lower.utcoffset() == dt.timedelta(0)


def test_utc_bounds_follow_a_daylight_saving_change():
    lower, upper = DateRange(D(2025, 3, 30), D(2025, 3, 30)).utc_bounds("Europe/Paris")  # clocks go forward
    assert upper - lower == dt.timedelta(hours=23)


def test_utc_bounds_default_to_utc():
    assert DateRange(D(2025, 6, 1), D(2025, 6, 1)).utc_bounds() == (
        dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        dt.datetime(2025, 6, 2, tzinfo=dt.UTC),
    )


def test_utc_bounds_refuse_an_unknown_timezone():
    with pytest.raises(Invalid, match="timezone"):
        DateRange(D(2025, 6, 1), D(2025, 6, 1)).utc_bounds("Mars/Olympus")


def test_today_is_the_local_date_of_the_timezone():
    late_evening_utc = dt.datetime(2025, 6, 10, 23, 30, tzinfo=dt.UTC)
    assert today_in("Europe/Paris", now=late_evening_utc) == D(2025, 6, 11)
    assert today_in("America/New_York", now=late_evening_utc) == D(2025, 6, 10)


def test_relative_words_count_from_today_in_the_given_timezone():
    days = parse_date_range("today", "Pacific/Kiritimati")  # UTC+14: often a day ahead of UTC
    assert days.start == today_in("Pacific/Kiritimati")


def test_days_and_text_form():
    week = DateRange(D(2025, 6, 2), D(2025, 6, 8))
    assert week.days == 7 and str(week) == "2025-06-02..2025-06-08"
    assert str(DateRange(D(2025, 6, 2), D(2025, 6, 2))) == "2025-06-02"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0001-01-01 to 9999-12-31", "must lie between 1900-01-01 and 2999-12-31"),
        ("9999-12-31", "must lie between"),
        ("1899-12-31", "must lie between"),
        ("2000-01-01 to 2020-01-01", "covers 7,306 days; at most 3,660 in one run"),
    ],
)
def test_ranges_past_the_supported_years_or_too_long_are_invalid(text, problem):
    with pytest.raises(Invalid, match=problem):
        parse_date_range(text, today=dt.date(2025, 6, 1))
