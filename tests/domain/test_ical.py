"""iCalendar parsing, expansion and serialisation: pure unit tests on small inline files."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest

from admin_assistant.domain import ical, icalbounds
from admin_assistant.domain.errors import Invalid
from admin_assistant.domain.ical import default_window, plan_import, read_events, read_events_bounded, write_calendar
from admin_assistant.domain.models import Appointment, Sensitivity, ShowAs

UTC = dt.UTC
PARIS = ZoneInfo("Europe/Paris")
JUNE = (dt.datetime(2025, 6, 1, tzinfo=UTC), dt.datetime(2025, 7, 1, tzinfo=UTC))


def ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{body}END:VCALENDAR\n".replace("\n", "\r\n").encode()


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 6, day, hour, minute, tzinfo=UTC)


def read(data: bytes, window=JUNE):
    return read_events(data, PARIS, window)


def test_a_simple_event_becomes_the_fields_of_one_appointment():
    parsed = read(
        ics(
            """
UID:one@x
DTSTART:20250602T090000Z
DTEND:20250602T100000Z
SUMMARY:Planning
LOCATION:Room 1
DESCRIPTION:Agenda
CATEGORIES:Client,Travel
CLASS:PRIVATE
"""
        )
    )
    fields = parsed.events["one@x"]
    assert (fields["start"], fields["end"]) == (at(2, 9), at(2, 10))
    assert (fields["subject"], fields["location"], fields["categories"]) == ("Planning", "Room 1", ["Client", "Travel"])
    assert (fields["show_as"], fields["sensitivity"]) == (ShowAs.BUSY, Sensitivity.PRIVATE)
    assert fields["payload"] == {
        "ical": {"uid": "one@x", "recurrence_id": None, "all_day": False, "description": "Agenda"}
    }


def test_a_single_event_outside_the_window_is_still_imported():
    parsed = read(ics("UID:old@x\nDTSTART:20100101T090000Z\nDTEND:20100101T100000Z"))
    assert list(parsed.events) == ["old@x"]


def test_an_all_day_event_covers_local_midnights():
    parsed = read(ics("UID:holiday@x\nDTSTART;VALUE=DATE:20250603\nSUMMARY:Holiday"))
    fields = parsed.events["holiday@x"]
    assert (fields["start"], fields["end"]) == (at(2, 22), at(3, 22))  # Paris is UTC+2 in June
    assert fields["payload"]["ical"]["all_day"] is True


def test_tzid_and_floating_times():
    parsed = read(
        ics(
            "UID:ny@x\nDTSTART;TZID=America/New_York:20250602T090000\nDURATION:PT30M",
            "UID:floating@x\nDTSTART:20250602T090000\nDTEND:20250602T093000",
        )
    )
    assert parsed.events["ny@x"]["start"] == at(2, 13) and parsed.events["ny@x"]["end"] == at(2, 13, 30)
    assert parsed.events["floating@x"]["start"] == at(2, 7)  # floating: the owner's zone


def test_a_weekly_series_is_expanded_with_exdate_and_a_moved_instance():
    parsed = read(
        ics(
            """
UID:standup@x
DTSTART;TZID=Europe/Paris:20250602T090000
DTEND;TZID=Europe/Paris:20250602T091500
RRULE:FREQ=WEEKLY;BYDAY=MO
EXDATE;TZID=Europe/Paris:20250609T090000
SUMMARY:Standup
""",
            """
UID:standup@x
RECURRENCE-ID;TZID=Europe/Paris:20250616T090000
DTSTART;TZID=Europe/Paris:20250616T110000
DTEND;TZID=Europe/Paris:20250616T111500
SUMMARY:Standup (moved)
""",
        )
    )
    assert list(parsed.events) == [
        "standup@x#20250602T070000Z",
        "standup@x#20250616T070000Z",
        "standup@x#20250623T070000Z",
        "standup@x#20250630T070000Z",
    ]
    moved = parsed.events["standup@x#20250616T070000Z"]
    assert (moved["subject"], moved["start"]) == ("Standup (moved)", at(16, 9))
    assert moved["payload"]["ical"]["recurrence_id"] == "20250616T070000Z"


def test_an_open_ended_series_stops_at_the_window():
    parsed = read(ics("UID:daily@x\nDTSTART:20250101T090000Z\nDTEND:20250101T100000Z\nRRULE:FREQ=DAILY"))
    assert len(parsed.events) == 30  # the days of June


def test_the_default_window_is_a_year_back_and_two_ahead():
    lower, upper = default_window(dt.date(2025, 6, 1))
    assert lower.date() == dt.date(2024, 5, 31) and upper.date() == dt.date(2027, 6, 2)


def test_cancelled_events_are_left_out():
    parsed = read(
        ics(
            "UID:gone@x\nDTSTART:20250602T090000Z\nDTEND:20250602T100000Z\nSTATUS:CANCELLED",
            "UID:w@x\nDTSTART:20250602T090000Z\nDTEND:20250602T100000Z\nRRULE:FREQ=DAILY;COUNT=2",
            "UID:w@x\nRECURRENCE-ID:20250603T090000Z\nDTSTART:20250603T090000Z\nDTEND:20250603T100000Z\nSTATUS:CANCELLED",
        )
    )
    assert list(parsed.events) == ["w@x#20250602T090000Z"]


def test_zero_length_events_are_rejected_and_counted():
    parsed = read(ics("UID:z@x\nDTSTART:20250602T090000Z", "UID:ok@x\nDTSTART:20250602T090000Z\nDURATION:PT1H"))
    assert list(parsed.events) == ["ok@x"] and parsed.rejected == 1


def test_an_event_without_uid_gets_a_stable_key():
    data = ics("DTSTART:20250602T090000Z\nDTEND:20250602T100000Z\nSUMMARY:Anon")
    assert list(read(data).events) == list(read(data).events)
    assert next(iter(read(data).events)).startswith("nouid-")


def test_show_as_from_transparency_status_and_outlook_busy_status():
    parsed = read(
        ics(
            "UID:a\nDTSTART:20250602T090000Z\nDURATION:PT1H\nTRANSP:TRANSPARENT",
            "UID:b\nDTSTART:20250602T090000Z\nDURATION:PT1H\nSTATUS:TENTATIVE",
            "UID:c\nDTSTART:20250602T090000Z\nDURATION:PT1H\nX-MICROSOFT-CDO-BUSYSTATUS:OOF",
        )
    )
    assert [parsed.events[k]["show_as"] for k in "abc"] == [ShowAs.FREE, ShowAs.TENTATIVE, ShowAs.OOF]


@pytest.mark.parametrize("data", [b"", b"hello", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n"])
def test_a_file_that_is_not_icalendar_is_invalid(data):
    with pytest.raises(Invalid, match="iCalendar|empty"):
        read(data)


def test_a_broken_recurrence_rule_is_invalid():
    with pytest.raises(Invalid):
        read(ics("UID:r@x\nDTSTART:20250602T090000Z\nDURATION:PT1H\nRRULE:FREQ=SOMETIMES"))


def _appointment(fields: dict, id: int = 1) -> Appointment:
    appointment = Appointment(calendar_id=1, **fields)
    appointment.id = id
    appointment.updated_at = at(1, 0)
    return appointment


def test_written_file_reads_back_as_the_same_appointments():
    original = read(
        ics(
            "UID:a@x\nDTSTART:20250602T090000Z\nDTEND:20250602T100000Z\nSUMMARY:Plan\nCATEGORIES:X\nCLASS:CONFIDENTIAL",
            "UID:b@x\nDTSTART;VALUE=DATE:20250603\nSUMMARY:Holiday\nTRANSP:TRANSPARENT",
            "UID:c@x\nDTSTART:20250604T090000Z\nDTEND:20250604T100000Z\nRRULE:FREQ=DAILY;COUNT=2\nSTATUS:TENTATIVE",
        )
    )
    exported = write_calendar([_appointment(f, n) for n, f in enumerate(original.events.values())], "Work", PARIS)
    again = read(exported)
    assert b"X-WR-CALNAME:Work" in exported and b"DTSTART;VALUE=DATE:20250603" in exported
    compared = ("start", "end", "subject", "categories", "show_as", "sensitivity", "external_id")
    assert {k: {n: f[n] for n in compared} for k, f in again.events.items()} == {
        k: {n: f[n] for n in compared} for k, f in original.events.items()
    }


def test_an_appointment_without_external_id_is_written_with_its_own_uid():
    exported = write_calendar([_appointment({"start": at(2, 9), "end": at(2, 10)}, id=42)], "Work", PARIS)
    assert list(read(exported).events) == ["aa-42@admin-assistant"]


def test_plan_import_adds_updates_and_skips_by_key():
    parsed = read(
        ics(
            "UID:new\nDTSTART:20250602T090000Z\nDURATION:PT1H",
            "UID:same\nDTSTART:20250602T090000Z\nDURATION:PT1H",
            "UID:moved\nDTSTART:20250602T110000Z\nDURATION:PT1H",
        )
    )
    existing = {
        "same": _appointment(parsed.events["same"], id=7),
        "moved": _appointment({**parsed.events["moved"], "start": at(2, 8), "end": at(2, 9)}, id=8),
    }
    plan = plan_import(parsed, existing, calendar_id=3)
    assert [a.external_id for a in plan.new] == ["new"] and plan.new[0].calendar_id == 3
    assert plan.updates == [(8, {"start": at(2, 11), "end": at(2, 12)})]
    assert (plan.result().added, plan.result().updated, plan.result().skipped) == (1, 1, 1)


# Bounded expansion: a file is untrusted work -----------------------------------------------------

ENDLESS = "UID:endless@x\nDTSTART:20250602T090000Z\nDURATION:PT10M\nRRULE:FREQ=MINUTELY\nSUMMARY:Boom"


def test_an_endless_minutely_series_is_refused_by_its_occurrences_in_the_window():
    with pytest.raises(Invalid, match=r"'endless@x' has more than 5,000 occurrences between 2025-06-01 and 2025-07-01"):
        read(ics(ENDLESS))


def test_a_frequent_series_starting_long_before_the_window_is_refused_by_its_steps():
    ancient = ENDLESS.replace("20250602T090000Z", "19000101T090000Z").replace("MINUTELY", "MINUTELY;BYSECOND=0")
    with pytest.raises(Invalid, match=r"more than 25,000 steps from their start to 2025-07-01 \(event 'endless@x'\)"):
        read(ics(ancient))


def test_a_plain_rule_is_counted_without_walking_it():
    before = ENDLESS.replace("FREQ=MINUTELY", "FREQ=MINUTELY;COUNT=30000").replace("20250602", "20240101")
    with pytest.raises(Invalid, match=r"more than 25,000 steps"):
        read(ics(before))
    fits = ENDLESS.replace("FREQ=MINUTELY", "FREQ=MINUTELY;INTERVAL=15;UNTIL=20250610T000000Z")
    assert (
        len(read(ics(fits)).events) == 183 * 4 + 1
    )  # every quarter from 09:00 on the 2nd to midnight on the 10th, UNTIL included


def test_a_daily_series_over_the_default_window_stays_within_the_bounds():
    daily = "UID:d@x\nDTSTART:19900101T090000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY"
    parsed = read(ics(daily), default_window(dt.date(2025, 6, 1)))
    assert len(parsed.events) == 366 + 731


def test_series_that_fit_one_by_one_are_refused_together_past_the_files_bound(monkeypatch):
    monkeypatch.setattr(icalbounds, "MAX_OCCURRENCES_PER_FILE", 50)
    hourly = [f"UID:h{n}@x\nDTSTART:20250602T090000Z\nDURATION:PT10M\nRRULE:FREQ=HOURLY;COUNT=20" for n in range(3)]
    assert len(read(ics(*hourly[:2])).events) == 40
    with pytest.raises(Invalid, match=r"the file's recurring events have more than 50 occurrences"):
        read(ics(*hourly))


def test_the_bounded_read_gives_the_same_events_as_the_plain_one():
    data = ics(
        "UID:one@x\nDTSTART:20250602T090000Z\nDTEND:20250602T100000Z\nSUMMARY:One",
        "UID:w@x\nDTSTART:20250602T090000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY",
    )
    assert read_events_bounded(data, PARIS, JUNE) == read(data)


def test_the_bounded_read_refuses_a_series_the_plain_one_refuses():
    with pytest.raises(Invalid, match="more than 5,000 occurrences"):
        read_events_bounded(ics(ENDLESS), PARIS, JUNE)


def test_a_rule_that_never_matches_is_stopped_at_the_time_limit(monkeypatch):
    """dateutil looks for a 30 February until the year 9999 without yielding (seconds of CPU):
    only the child process's time limit stops it."""
    monkeypatch.setattr(ical, "READ_SECONDS", 0.5)
    never = "UID:n@x\nDTSTART:20250602T090000Z\nDURATION:PT1H\nRRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30"
    started = time.monotonic()
    with pytest.raises(Invalid, match=r"too costly to import: .* took longer than 0.5 s"):
        read_events_bounded(ics(never), PARIS, JUNE)
    assert time.monotonic() - started < 3
