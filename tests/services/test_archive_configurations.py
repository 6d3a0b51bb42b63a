"""ArchiveConfigurationsService on both stacks and both databases."""

from __future__ import annotations

import pytest

from admin_assistant.domain.errors import Duplicate, Invalid, NotFound


@pytest.fixture
async def calendars(services, ada):
    work = await services.calendars.create(ada.id, "Work")
    archive = await services.calendars.create(ada.id, "Archive", kind="archive")
    return work, archive


async def test_create_get_and_list(services, ada, calendars):
    work, archive = calendars
    made = await services.archive_configurations.create(ada.id, "Daily", work.id, archive.id)
    got = await services.archive_configurations.get(ada.id, made.id)
    assert (got.name, got.source_calendar_id, got.archive_calendar_id) == ("Daily", work.id, archive.id)
    assert (got.timezone, got.schedule, got.active) == ("Europe/Paris", "23:00", True)  # the owner's timezone
    assert [c.id for c in await services.archive_configurations.list(ada.id)] == [made.id]


async def test_activate_and_deactivate(services, ada, calendars):
    made = await services.archive_configurations.create(ada.id, "Daily", *(c.id for c in calendars), timezone="UTC")
    assert (await services.archive_configurations.deactivate(ada.id, made.id)).active is False
    assert await services.archive_configurations.list(ada.id, active=True) == []
    assert [c.id for c in await services.archive_configurations.list(ada.id, active=False)] == [made.id]
    assert (await services.archive_configurations.activate(ada.id, made.id)).active is True
    assert (await services.archive_configurations.get(ada.id, made.id)).active is True


async def test_delete(services, ada, calendars):
    made = await services.archive_configurations.create(ada.id, "Daily", *(c.id for c in calendars))
    await services.archive_configurations.delete(ada.id, made.id)
    with pytest.raises(NotFound):
        await services.archive_configurations.get(ada.id, made.id)


async def test_another_users_configuration_is_not_found(services, ada, grace, calendars):
    made = await services.archive_configurations.create(ada.id, "Daily", *(c.id for c in calendars))
    for call in (
        services.archive_configurations.get,
        services.archive_configurations.activate,
        services.archive_configurations.deactivate,
        services.archive_configurations.delete,
    ):
        with pytest.raises(NotFound):
            await call(grace.id, made.id)
    assert await services.archive_configurations.list(grace.id) == []


async def test_calendars_must_belong_to_the_owner(services, ada, grace, calendars):
    work, _archive = calendars
    theirs = await services.calendars.create(grace.id, "Theirs")
    with pytest.raises(NotFound):
        await services.archive_configurations.create(ada.id, "Daily", work.id, theirs.id)
    with pytest.raises(NotFound):
        await services.archive_configurations.create(grace.id, "Daily", work.id, theirs.id)
    assert await services.archive_configurations.list(ada.id) == []


@pytest.mark.parametrize(
    "options", [{"same_calendar": True}, {"timezone": "Mars/Olympus"}, {"schedule": "late"}], ids=str
)
async def test_invalid_configuration_is_refused(services, ada, calendars, options):
    work, archive = calendars
    options = dict(options)
    target = work.id if options.pop("same_calendar", False) else archive.id
    with pytest.raises(Invalid):
        await services.archive_configurations.create(ada.id, "Daily", work.id, target, **options)


async def test_the_same_name_twice_is_a_duplicate(services, ada, calendars):
    await services.archive_configurations.create(ada.id, "Daily", *(c.id for c in calendars))
    with pytest.raises(Duplicate):
        await services.archive_configurations.create(ada.id, "Daily", *(c.id for c in calendars))
