"""CalendarsService on both stacks and both databases."""

from __future__ import annotations

import pytest

from admin_assistant.domain.errors import Duplicate, Invalid, NotFound
from admin_assistant.domain.models import CalendarKind


async def test_create_get_list_and_delete(services, ada):
    work = await services.calendars.create(ada.id, "Work")
    archive = await services.calendars.create(ada.id, "Archive", kind="archive")
    assert (await services.calendars.get(ada.id, work.id)).name == "Work"
    assert archive.kind is CalendarKind.ARCHIVE
    assert [c.id for c in await services.calendars.list(ada.id)] == [work.id, archive.id]
    assert [c.id for c in await services.calendars.list(ada.id, kind=CalendarKind.ARCHIVE)] == [archive.id]
    await services.calendars.delete(ada.id, work.id)
    assert [c.id for c in await services.calendars.list(ada.id)] == [archive.id]


async def test_another_users_calendar_is_not_found(services, ada, grace):
    theirs = await services.calendars.create(grace.id, "Private")
    with pytest.raises(NotFound):
        await services.calendars.get(ada.id, theirs.id)
    with pytest.raises(NotFound):
        await services.calendars.delete(ada.id, theirs.id)
    assert await services.calendars.list(ada.id) == []
    assert (await services.calendars.get(grace.id, theirs.id)).id == theirs.id


async def test_a_calendar_for_an_unknown_user_is_not_found(services):
    with pytest.raises(NotFound):
        await services.calendars.create(999_999, "Work")


async def test_the_same_name_twice_for_one_owner_is_a_duplicate(services, ada, grace):
    await services.calendars.create(ada.id, "Work")
    await services.calendars.create(grace.id, "Work")
    with pytest.raises(Duplicate):
        await services.calendars.create(ada.id, "Work")


@pytest.mark.parametrize("fields", [{"name": "  "}, {"name": "Work", "kind": "diary"}])
async def test_invalid_calendar_is_refused(services, ada, fields):
    with pytest.raises(Invalid):
        await services.calendars.create(ada.id, **fields)


async def test_list_pages(services, ada):
    made = [await services.calendars.create(ada.id, f"C{n}") for n in range(3)]
    assert [c.id for c in await services.calendars.list(ada.id, offset=1, limit=1)] == [made[1].id]
