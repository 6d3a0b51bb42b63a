"""AppointmentsService on both stacks and both databases: CRUD, owner scoping, ranges and paging."""

from __future__ import annotations

import datetime as dt

import pytest

import factories as make
from admin_assistant.domain.errors import Invalid, NotFound
from admin_assistant.domain.models import ShowAs


@pytest.fixture
async def work(services, ada):
    return await services.calendars.create(ada.id, "Work")


async def test_create_get_update_delete(services, ada, work):
    made = await services.appointments.create(
        ada.id, work.id, make.at(2, 9), make.at(2, 10), subject="Plan", categories=["Client"], show_as="tentative"
    )
    got = await services.appointments.get(ada.id, made.id)
    assert (got.subject, got.categories, got.show_as, got.calendar_id) == ("Plan", ["Client"], ShowAs.TENTATIVE, work.id)
    changed = await services.appointments.update(ada.id, made.id, {"subject": "Review", "start": make.at(2, 8)})
    assert (changed.subject, changed.start, changed.end) == ("Review", make.at(2, 8), make.at(2, 10))
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
