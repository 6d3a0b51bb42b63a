"""Appointments repository: the same behaviour on SQLite x PostgreSQL x sync x async."""

from __future__ import annotations

import datetime as dt

import factories as make
import pytest

from admin_assistant.domain.errors import Duplicate, Invalid
from admin_assistant.domain.models import ShowAs

PARIS_SUMMER = dt.timezone(dt.timedelta(hours=2))


@pytest.fixture
async def calendars(uow):
    async with uow() as repos:
        ada, grace = await repos.users.add_all([make.user(), make.user()])
        work, archive = await repos.calendars.add_all([make.calendar(ada), make.calendar(ada)])
        other = await repos.calendars.add(make.calendar(grace))
    return ada, grace, work, archive, other


async def test_times_come_back_utc_aware_whatever_zone_they_went_in(uow, calendars):
    *_, work, _archive, _other = calendars
    start = dt.datetime(2025, 6, 2, 11, 0, tzinfo=PARIS_SUMMER)
    async with uow() as repos:
        added = await repos.appointments.add(make.appointment(work, start=start))
    async with uow() as repos:
        got = await repos.appointments.get(added.id)
    assert got.start == start and got.start.utcoffset() == dt.timedelta(0)
    assert got.end - got.start == dt.timedelta(hours=1)


def test_naive_datetime_is_invalid():
    with pytest.raises(Invalid, match="timezone"):
        make.appointment(make.calendar(make.user(id=1), id=1), start=dt.datetime(2025, 6, 2, 9))


def test_appointment_ending_before_it_starts_is_invalid():
    cal = make.calendar(make.user(id=1), id=1)
    with pytest.raises(Invalid, match="before"):
        make.appointment(cal, start=make.at(2, 10), hours=-1)


async def test_update_that_would_end_before_start_is_refused_and_nothing_changes(uow, calendars):
    *_, work, _archive, _other = calendars
    async with uow() as repos:
        added = await repos.appointments.add(make.appointment(work, start=make.at(2, 9)))
    async with uow() as repos:
        with pytest.raises(Invalid):
            await repos.appointments.update(added.id, {"end": make.at(2, 8)})
    async with uow() as repos:
        assert (await repos.appointments.get(added.id)).end == make.at(2, 10)


async def test_moving_both_times_past_the_old_end_is_allowed(uow, calendars):
    *_, work, _archive, _other = calendars
    async with uow() as repos:
        added = await repos.appointments.add(make.appointment(work, start=make.at(2, 9)))
        await repos.appointments.update(added.id, {"start": make.at(3, 9), "end": make.at(3, 10)})
    async with uow() as repos:
        got = await repos.appointments.get(added.id)
    assert (got.start, got.end) == (make.at(3, 9), make.at(3, 10))


async def test_range_filter_returns_overlapping_appointments_in_start_order(uow, calendars):
    *_, work, _archive, _other = calendars
    async with uow() as repos:
        late, early, before, after, spanning = await repos.appointments.add_all(
            [
                make.appointment(work, start=make.at(3, 15)),
                make.appointment(work, start=make.at(3, 8)),
                make.appointment(work, start=make.at(1, 9)),
                make.appointment(work, start=make.at(5, 9)),
                make.appointment(work, start=make.at(2, 23), hours=2),  # crosses into day 3
            ]
        )
    async with uow() as repos:
        found = await repos.appointments.list(calendar_id=work.id, start=make.at(3, 0), end=make.at(4, 0))
    assert [a.id for a in found] == [spanning.id, early.id, late.id]


async def test_archived_and_owner_filters(uow, calendars):
    ada, grace, work, archive, other = calendars
    async with uow() as repos:
        kept = await repos.appointments.add(make.appointment(archive, archived=True))
        await repos.appointments.add(make.appointment(work))
        theirs = await repos.appointments.add(make.appointment(other, archived=True))
    async with uow() as repos:
        assert [a.id for a in await repos.appointments.list(owner_id=ada.id, archived=True)] == [kept.id]
        assert [a.id for a in await repos.appointments.list(owner_id=grace.id)] == [theirs.id]


async def test_same_external_event_twice_in_one_calendar_is_a_duplicate(uow, calendars):
    *_, work, archive, _other = calendars
    async with uow() as repos:
        await repos.appointments.add(make.appointment(archive, external_id="evt-1"))
        await repos.appointments.add(make.appointment(work, external_id="evt-1"))  # another calendar: fine
        with pytest.raises(Duplicate):
            await repos.appointments.add(make.appointment(archive, external_id="evt-1"))
    async with uow() as repos:
        assert await repos.appointments.count(external_id="evt-1") == 2


async def test_duplicate_in_a_bulk_add_adds_none_of_the_batch(uow, calendars):
    *_, archive, _other = calendars
    async with uow() as repos:
        with pytest.raises(Duplicate):
            await repos.appointments.add_all(
                [make.appointment(archive, external_id="a"), make.appointment(archive, external_id="a")]
            )
        assert await repos.appointments.count(calendar_id=archive.id) == 0


async def test_payload_categories_and_enums_round_trip(uow, calendars):
    *_, work, _archive, _other = calendars
    payload = {"id": "AAMk=", "attendees": [{"email": "x@example.org"}], "nested": {"n": 1}}
    async with uow() as repos:
        added = await repos.appointments.add(
            make.appointment(
                work,
                categories=["Travel", "Client"],
                payload=payload,
                show_as=ShowAs.OOF,
                recurrence_rule="FREQ=WEEKLY",
            )
        )
    async with uow() as repos:
        got = await repos.appointments.get(added.id)
    assert (got.categories, got.payload, got.show_as, got.recurrence_rule) == (
        ["Travel", "Client"],
        payload,
        ShowAs.OOF,
        "FREQ=WEEKLY",
    )


async def test_delete_many_removes_only_the_matching_rows(uow, calendars):
    *_, work, archive, _other = calendars
    async with uow() as repos:
        await repos.appointments.add_all(
            [make.appointment(archive, start=make.at(d), archived=True) for d in (1, 2, 3)]
            + [make.appointment(work, start=make.at(2))]
        )
        removed = await repos.appointments.delete_many(calendar_id=archive.id, start=make.at(2, 0), end=make.at(4, 0))
    async with uow() as repos:
        assert removed == 2
        assert await repos.appointments.count(calendar_id=archive.id) == 1
        assert await repos.appointments.count(calendar_id=work.id) == 1


async def test_delete_many_without_a_filter_is_refused(uow):
    async with uow() as repos:
        with pytest.raises(Invalid):
            await repos.appointments.delete_many()


async def test_bound_paging_external_ids_and_archived_false(uow, calendars):
    """Offset, limit, an IN list (empty too) and ``archived`` all run as bind parameters."""
    *_, work, _archive, _other = calendars
    async with uow() as repos:
        made = await repos.appointments.add_all(
            [make.appointment(work, start=make.at(d), external_id=f"e{d}", archived=d == 3) for d in (1, 2, 3, 4)]
        )
    ids = [a.id for a in made]
    async with uow() as repos:
        assert [a.id for a in await repos.appointments.list(calendar_id=work.id, offset=1, limit=2)] == ids[1:3]
        assert [a.id for a in await repos.appointments.list(calendar_id=work.id, offset=3, limit=2)] == ids[3:]
        assert await repos.appointments.list(calendar_id=work.id, offset=4, limit=2) == []
        assert [a.id for a in await repos.appointments.list(calendar_id=work.id, external_ids=["e4", "e1"])] == [
            ids[0],
            ids[3],
        ]
        assert await repos.appointments.list(calendar_id=work.id, external_ids=[]) == []
        assert [a.id for a in await repos.appointments.list(calendar_id=work.id, archived=False)] == [
            ids[0],
            ids[1],
            ids[3],
        ]
        assert (await repos.appointments.find(calendar_id=work.id, external_id="e2")).id == ids[1]
        assert await repos.appointments.count(calendar_id=work.id, archived=True) == 1
