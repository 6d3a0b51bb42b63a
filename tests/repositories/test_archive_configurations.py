"""Archive configurations repository: the same behaviour on SQLite x PostgreSQL x sync x async."""

from __future__ import annotations

import factories as make
import pytest

from admin_assistant.domain.errors import Duplicate, Invalid, NotFound
from admin_assistant.domain.models import CalendarKind


@pytest.fixture
async def owner(uow):
    async with uow() as repos:
        ada = await repos.users.add(make.user())
        source = await repos.calendars.add(make.calendar(ada))
        archive = await repos.calendars.add(make.calendar(ada, kind=CalendarKind.ARCHIVE))
    return ada, source, archive


async def test_configuration_round_trips(uow, owner):
    ada, source, archive = owner
    async with uow() as repos:
        added = await repos.archive_configurations.add(
            make.configuration(ada, source, archive, name="Daily", timezone="Europe/London", schedule="23:30")
        )
    async with uow() as repos:
        got = await repos.archive_configurations.get(added.id, owner_id=ada.id)
    assert (got.name, got.timezone, got.schedule, got.active) == ("Daily", "Europe/London", "23:30", True)


async def test_name_is_unique_per_owner(uow, owner):
    ada, source, archive = owner
    async with uow() as repos:
        await repos.archive_configurations.add(make.configuration(ada, source, archive, name="Daily"))
        with pytest.raises(Duplicate):
            await repos.archive_configurations.add(make.configuration(ada, source, archive, name="Daily"))


async def test_archiving_a_calendar_into_itself_is_invalid(uow, owner):
    ada, source, _archive = owner
    async with uow() as repos:
        with pytest.raises(Invalid):
            await repos.archive_configurations.add(make.configuration(ada, source, source))


@pytest.mark.parametrize("fields", [{"schedule": "25:99"}, {"timezone": "Mars/Olympus"}])
def test_bad_schedule_or_timezone_is_invalid(fields):
    with pytest.raises(Invalid):
        make.configuration(
            make.user(id=1), make.calendar(make.user(id=1), id=1), make.calendar(make.user(id=1), id=2), **fields
        )


async def test_active_filter_and_deactivation(uow, owner):
    ada, source, archive = owner
    async with uow() as repos:
        one, two = await repos.archive_configurations.add_all(
            [make.configuration(ada, source, archive), make.configuration(ada, source, archive)]
        )
        await repos.archive_configurations.update(two.id, {"active": False})
    async with uow() as repos:
        active = await repos.archive_configurations.list(owner_id=ada.id, active=True)
        inactive = await repos.archive_configurations.list(owner_id=ada.id, active=False)
    assert ([c.id for c in active], [c.id for c in inactive]) == ([one.id], [two.id])


async def test_deleted_configuration_is_gone(uow, owner):
    ada, source, archive = owner
    async with uow() as repos:
        added = await repos.archive_configurations.add(make.configuration(ada, source, archive))
        await repos.archive_configurations.delete(added.id, owner_id=ada.id)
        with pytest.raises(NotFound):
            await repos.archive_configurations.get(added.id)
