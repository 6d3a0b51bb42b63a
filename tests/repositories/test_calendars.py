"""Calendars repository: the same behaviour on SQLite x PostgreSQL x sync x async."""

from __future__ import annotations

import factories as make
import pytest

from admin_assistant.domain.errors import Duplicate, Invalid, NotFound
from admin_assistant.domain.models import CalendarKind


async def test_calendars_are_listed_by_owner_and_kind(uow):
    async with uow() as repos:
        ada, grace = await repos.users.add_all([make.user(), make.user()])
        work = await repos.calendars.add(make.calendar(ada, name="Work"))
        archive = await repos.calendars.add(make.calendar(ada, name="Archive", kind=CalendarKind.ARCHIVE))
        await repos.calendars.add(make.calendar(grace, name="Work"))
    async with uow() as repos:
        mine = await repos.calendars.list(owner_id=ada.id)
        archives = await repos.calendars.list(owner_id=ada.id, kind=CalendarKind.ARCHIVE)
    assert [c.id for c in mine] == [work.id, archive.id]
    assert [c.id for c in archives] == [archive.id]
    assert archives[0].kind is CalendarKind.ARCHIVE


async def test_same_name_twice_for_one_owner_is_a_duplicate(uow):
    async with uow() as repos:
        ada = await repos.users.add(make.user())
        await repos.calendars.add(make.calendar(ada, name="Work"))
        with pytest.raises(Duplicate):
            await repos.calendars.add(make.calendar(ada, name="Work"))


async def test_calendar_of_a_missing_owner_is_invalid(uow):
    async with uow() as repos:
        with pytest.raises(Invalid):
            await repos.calendars.add(make.calendar(make.user(id=424242)))


async def test_another_owners_calendar_is_not_found(uow):
    async with uow() as repos:
        ada, grace = await repos.users.add_all([make.user(), make.user()])
        theirs = await repos.calendars.add(make.calendar(grace))
        with pytest.raises(NotFound):
            await repos.calendars.get(theirs.id, owner_id=ada.id)
        assert (await repos.calendars.get(theirs.id, owner_id=grace.id)).id == theirs.id


async def test_external_uri_is_kept(uow):
    async with uow() as repos:
        ada = await repos.users.add(make.user())
        cal = await repos.calendars.add(make.calendar(ada, external_uri="msgraph://me/calendars/AAA="))
    async with uow() as repos:
        assert (await repos.calendars.get(cal.id)).external_uri == "msgraph://me/calendars/AAA="


def test_blank_calendar_name_is_invalid():
    with pytest.raises(Invalid):
        make.calendar(make.user(id=1), name="  ")


async def test_deleting_a_user_deletes_their_calendars(uow):
    async with uow() as repos:
        ada = await repos.users.add(make.user())
        await repos.calendars.add(make.calendar(ada))
        await repos.users.delete(ada.id)
    async with uow() as repos:
        assert await repos.calendars.count(owner_id=ada.id) == 0
