"""AppointmentsService on both stacks and both databases: CRUD, owner scoping, ranges and paging,
iCalendar import and export."""

from __future__ import annotations

import datetime as dt

import factories as make
import pytest

from admin_assistant.domain.dateranges import DateRange
from admin_assistant.domain.errors import Invalid, NotFound
from admin_assistant.domain.models import ShowAs
from admin_assistant.domain.results import ImportResult


@pytest.fixture
async def work(services, ada):
    return await services.calendars.create(ada.id, "Work")


async def test_create_get_update_delete(services, ada, work):
    made = await services.appointments.create(
        ada.id, work.id, make.at(2, 9), make.at(2, 10), subject="Plan", categories=["Client"], show_as="tentative"
    )
    got = await services.appointments.get(ada.id, made.id)
    assert (got.subject, got.categories, got.show_as, got.calendar_id) == (
        "Plan",
        ["Client"],
        ShowAs.TENTATIVE,
        work.id,
    )
    changed = await services.appointments.update(ada.id, made.id, {"subject": "Review", "start": make.at(2, 8)})
    assert (changed.subject, changed.start, changed.end) == ("Review", make.at(2, 8), make.at(2, 10))
    assert changed.updated_at >= made.updated_at  # loaded, even on the async stack after the unit closed
    assert (await services.appointments.get(ada.id, made.id)).subject == "Review"
    await services.appointments.delete(ada.id, made.id)
    with pytest.raises(NotFound):
        await services.appointments.get(ada.id, made.id)


async def test_another_users_appointments_and_calendars_are_not_found(services, ada, grace, work):
    mine = await services.appointments.create(ada.id, work.id, make.at(2, 9), make.at(2, 10))
    theirs_calendar = await services.calendars.create(grace.id, "Theirs")
    with pytest.raises(NotFound):
        await services.appointments.get(grace.id, mine.id)
    with pytest.raises(NotFound):
        await services.appointments.update(grace.id, mine.id, {"subject": "Mine now"})
    with pytest.raises(NotFound):
        await services.appointments.delete(grace.id, mine.id)
    with pytest.raises(NotFound):
        await services.appointments.list(grace.id, work.id)
    with pytest.raises(NotFound):
        await services.appointments.create(ada.id, theirs_calendar.id, make.at(2, 9), make.at(2, 10))
    assert (await services.appointments.get(ada.id, mine.id)).subject == ""


async def test_list_by_range_overlapping_in_start_order_with_paging(services, ada, work):
    made = {}
    for day, hour, hours in [(3, 15, 1), (3, 8, 1), (1, 9, 1), (5, 9, 1), (2, 23, 2), (3, 11, 1)]:
        made[(day, hour)] = await services.appointments.create(
            ada.id, work.id, make.at(day, hour), make.at(day, hour) + dt.timedelta(hours=hours)
        )
    expected = [made[(2, 23)].id, made[(3, 8)].id, made[(3, 11)].id, made[(3, 15)].id]
    page1 = await services.appointments.list(ada.id, work.id, make.at(3, 0), make.at(4, 0), limit=2)
    page2 = await services.appointments.list(ada.id, work.id, make.at(3, 0), make.at(4, 0), offset=2, limit=2)
    assert [a.id for a in page1 + page2] == expected
    assert await services.appointments.count(ada.id, work.id, make.at(3, 0), make.at(4, 0)) == 4
    assert await services.appointments.count(ada.id, work.id) == 6


async def test_list_leaves_out_other_calendars(services, ada, work):
    other = await services.calendars.create(ada.id, "Other")
    await services.appointments.create(ada.id, other.id, make.at(2, 9), make.at(2, 10))
    assert await services.appointments.list(ada.id, work.id) == []


async def test_a_calendar_that_is_not_yours_is_not_found_from_list_and_count(services, ada, grace, work):
    """With or without appointments in it, or not there at all: as before the single query."""
    empty = await services.calendars.create(grace.id, "Empty")
    busy = await services.calendars.create(grace.id, "Busy")
    await services.appointments.create(grace.id, busy.id, make.at(2, 9), make.at(2, 10))
    for calendar_id in (empty.id, busy.id, busy.id + 1000):
        with pytest.raises(NotFound):
            await services.appointments.list(ada.id, calendar_id)
        with pytest.raises(NotFound):
            await services.appointments.list(ada.id, calendar_id, offset=5, limit=1)
        with pytest.raises(NotFound):
            await services.appointments.count(ada.id, calendar_id)
        with pytest.raises(NotFound):  # NotFound still comes before refused arguments
            await services.appointments.list(ada.id, calendar_id, make.at(2, 0).replace(tzinfo=None))
        with pytest.raises(NotFound):
            await services.appointments.count(ada.id, calendar_id, end=make.at(3, 0).replace(tzinfo=None))
    with pytest.raises(Invalid):  # on your own calendar, refused arguments are Invalid
        await services.appointments.list(ada.id, work.id, limit=0)


async def test_an_empty_calendar_or_a_page_past_the_end_is_empty_not_missing(services, ada, work):
    assert await services.appointments.list(ada.id, work.id) == []
    assert await services.appointments.count(ada.id, work.id) == 0
    made = await services.appointments.create(ada.id, work.id, make.at(2, 9), make.at(2, 10))
    assert [a.id for a in await services.appointments.list(ada.id, work.id, limit=1)] == [made.id]
    assert await services.appointments.list(ada.id, work.id, offset=1, limit=1) == []
    assert await services.appointments.list(ada.id, work.id, make.at(5, 0), make.at(6, 0)) == []
    assert await services.appointments.count(ada.id, work.id, make.at(5, 0), make.at(6, 0)) == 0


async def test_ending_before_it_starts_is_invalid(services, ada, work):
    with pytest.raises(Invalid):
        await services.appointments.create(ada.id, work.id, make.at(2, 10), make.at(2, 9))
    made = await services.appointments.create(ada.id, work.id, make.at(2, 9), make.at(2, 10))
    with pytest.raises(Invalid):
        await services.appointments.update(ada.id, made.id, {"end": make.at(2, 8)})
    assert (await services.appointments.get(ada.id, made.id)).end == make.at(2, 10)


@pytest.mark.parametrize("changes", [{"calendar_id": 1}, {"id": 5}, {"colour": "red"}, {"show_as": "asleep"}])
async def test_fields_that_cannot_be_set_are_invalid(services, ada, work, changes):
    made = await services.appointments.create(ada.id, work.id, make.at(2, 9), make.at(2, 10))
    with pytest.raises(Invalid):
        await services.appointments.update(ada.id, made.id, changes)
    if "calendar_id" not in changes:  # create takes the calendar as its own argument
        with pytest.raises(Invalid):
            await services.appointments.create(ada.id, work.id, make.at(2, 9), make.at(2, 10), **changes)


async def test_naive_times_are_invalid(services, ada, work):
    with pytest.raises(Invalid, match="timezone"):
        await services.appointments.create(ada.id, work.id, dt.datetime(2025, 6, 2, 9), dt.datetime(2025, 6, 2, 10))


# iCalendar import and export --------------------------------------------------------------------

JUNE = DateRange(dt.date(2025, 6, 1), dt.date(2025, 6, 30))


def ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{body}END:VCALENDAR\n".replace("\n", "\r\n").encode()


SIMPLE = "UID:plan@x\nDTSTART:20250602T090000Z\nDTEND:20250602T100000Z\nSUMMARY:Plan\nLOCATION:Room 1"
ALL_DAY = "UID:holiday@x\nDTSTART;VALUE=DATE:20250603\nDTEND;VALUE=DATE:20250604\nSUMMARY:Holiday\nTRANSP:TRANSPARENT"
NEW_YORK = "UID:ny@x\nDTSTART;TZID=America/New_York:20250604T090000\nDURATION:PT45M\nSUMMARY:Call"
WEEKLY = """
UID:standup@x
DTSTART;TZID=Europe/Paris:20250602T090000
DTEND;TZID=Europe/Paris:20250602T091500
RRULE:FREQ=WEEKLY;BYDAY=MO
EXDATE;TZID=Europe/Paris:20250609T090000
SUMMARY:Standup
"""
MOVED = """
UID:standup@x
RECURRENCE-ID;TZID=Europe/Paris:20250616T090000
DTSTART;TZID=Europe/Paris:20250616T110000
DTEND;TZID=Europe/Paris:20250616T111500
SUMMARY:Standup (moved)
"""
FILE = ics(SIMPLE, ALL_DAY, NEW_YORK, WEEKLY, MOVED)


def summary(appointments):
    return [(a.subject, a.start, a.end, a.external_id) for a in appointments]


async def test_import_simple_all_day_and_timezone_events(services, ada, work):
    result = await services.appointments.import_ics(ada.id, work.id, ics(SIMPLE, ALL_DAY, NEW_YORK))
    assert result == ImportResult(added=3)
    got = await services.appointments.list(ada.id, work.id)
    assert summary(got) == [
        ("Plan", make.at(2, 9), make.at(2, 10), "plan@x"),
        ("Holiday", make.at(2, 22), make.at(3, 22), "holiday@x"),  # local (Paris) midnights
        ("Call", make.at(4, 13), make.at(4, 13, 45), "ny@x"),
    ]
    assert got[0].location == "Room 1" and got[1].show_as is ShowAs.FREE


async def test_import_expands_a_series_without_its_excluded_date(services, ada, work):
    result = await services.appointments.import_ics(ada.id, work.id, ics(WEEKLY, MOVED), window=JUNE)
    got = await services.appointments.list(ada.id, work.id)
    assert result.added == 4
    assert [(a.subject, a.start) for a in got] == [
        ("Standup", make.at(2, 7)),
        ("Standup (moved)", make.at(16, 9)),
        ("Standup", make.at(23, 7)),
        ("Standup", make.at(30, 7)),
    ]
    assert len({a.external_id for a in got}) == 4


async def test_the_default_window_counts_from_today(services, ada, work):
    daily = ics("UID:d@x\nDTSTART:20250101T090000Z\nDTEND:20250101T100000Z\nRRULE:FREQ=DAILY;UNTIL=20300101T000000Z")
    result = await services.appointments.import_ics(ada.id, work.id, daily, today=dt.date(2025, 6, 1))
    assert result.added == (dt.date(2027, 6, 2) - dt.date(2025, 1, 1)).days  # until two years ahead, not 2030
    assert (await services.appointments.list(ada.id, work.id, limit=1))[0].start == make.at(1, 9, month=1)


async def test_reimporting_the_same_file_changes_nothing(services, ada, work):
    first = await services.appointments.import_ics(ada.id, work.id, FILE, window=JUNE)
    before = summary(await services.appointments.list(ada.id, work.id))
    again = await services.appointments.import_ics(ada.id, work.id, FILE, window=JUNE)
    assert first == ImportResult(added=7) and again == ImportResult(skipped=7)
    assert summary(await services.appointments.list(ada.id, work.id)) == before


async def test_reimporting_a_changed_event_updates_it_in_place(services, ada, work):
    await services.appointments.import_ics(ada.id, work.id, ics(SIMPLE, ALL_DAY))
    (plan_before, _) = await services.appointments.list(ada.id, work.id)
    changed = ics(SIMPLE.replace("Plan", "Plan v2").replace("T100000Z", "T110000Z"), ALL_DAY)
    result = await services.appointments.import_ics(ada.id, work.id, changed)
    plan_after = await services.appointments.get(ada.id, plan_before.id)
    assert result == ImportResult(updated=1, skipped=1)
    assert (plan_after.subject, plan_after.end) == ("Plan v2", make.at(2, 11))


async def test_import_counts_rejected_events(services, ada, work):
    result = await services.appointments.import_ics(ada.id, work.id, ics(SIMPLE, "UID:z@x\nDTSTART:20250602T090000Z"))
    assert result == ImportResult(added=1, rejected=1)


async def test_import_of_a_bad_file_is_invalid_and_adds_nothing(services, ada, work):
    with pytest.raises(Invalid):
        await services.appointments.import_ics(ada.id, work.id, b"not a calendar")
    assert await services.appointments.count(ada.id, work.id) == 0


async def test_import_into_another_users_calendar_is_not_found(services, ada, grace, work):
    with pytest.raises(NotFound):
        await services.appointments.import_ics(grace.id, work.id, FILE)
    with pytest.raises(NotFound):
        await services.appointments.export_ics(grace.id, work.id)


async def test_export_then_import_into_another_calendar_gives_the_same_appointments(services, ada, work):
    await services.appointments.import_ics(ada.id, work.id, FILE, window=JUNE)
    await services.appointments.create(ada.id, work.id, make.at(20, 9), make.at(20, 10), subject="Typed in")
    exported = await services.appointments.export_ics(ada.id, work.id)
    copy = await services.calendars.create(ada.id, "Copy")
    result = await services.appointments.import_ics(ada.id, copy.id, exported, window=JUNE)
    original = await services.appointments.list(ada.id, work.id)
    copied = await services.appointments.list(ada.id, copy.id)
    fields = ("subject", "start", "end", "location", "categories", "show_as", "sensitivity")
    assert result.added == 8
    assert [[getattr(a, f) for f in fields] for a in copied] == [[getattr(a, f) for f in fields] for a in original]


async def test_exporting_a_range_writes_only_the_appointments_in_it(services, ada, work):
    await services.appointments.import_ics(ada.id, work.id, FILE, window=JUNE)
    exported = await services.appointments.export_ics(ada.id, work.id, make.at(2, 0), make.at(2, 12))
    assert exported.count(b"BEGIN:VEVENT") == 2 and b"SUMMARY:Plan" in exported and b"SUMMARY:Standup" in exported
    assert b"X-WR-CALNAME:Work" in exported


async def test_an_endless_series_is_refused_and_adds_nothing(services, ada, work):
    endless = "UID:endless@x\nDTSTART:20250602T090000Z\nDURATION:PT10M\nRRULE:FREQ=MINUTELY\nSUMMARY:Boom"
    with pytest.raises(Invalid, match="'endless@x' has more than 5,000 occurrences"):
        await services.appointments.import_ics(ada.id, work.id, ics(SIMPLE, endless), window=JUNE)
    assert await services.appointments.count(ada.id, work.id) == 0


async def test_an_import_given_the_owners_timezone_reads_no_row_first_and_still_checks_the_calendar(
    services, ada, grace, work
):
    floating = "UID:f@x\nDTSTART:20250602T090000\nDTEND:20250602T100000\nSUMMARY:Floating"
    result = await services.appointments.import_ics(ada.id, work.id, ics(floating), timezone="America/New_York")
    assert result == ImportResult(added=1)
    [made] = await services.appointments.list(ada.id, work.id)
    assert made.start == dt.datetime(2025, 6, 2, 13, 0, tzinfo=dt.UTC)  # 09:00 in New York
    with pytest.raises(NotFound):
        await services.appointments.import_ics(grace.id, work.id, ics(floating), timezone="UTC")
