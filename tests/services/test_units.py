"""``units_of(database)``: the services built straight on a database, each call its own unit of work."""

from __future__ import annotations

import pytest

from admin_assistant.aio.services import Services as AsyncServices
from admin_assistant.aio.services import units_of as async_units_of
from admin_assistant.domain.errors import Invalid
from admin_assistant.sync.services import Services as SyncServices
from admin_assistant.sync.services import units_of as sync_units_of


def test_sync_services_on_a_database(clean_database):
    services = SyncServices.on(sync_units_of(clean_database))
    user, token = services.users.create("ada@example.org")
    assert services.users.authenticate_token(token).id == user.id


async def test_async_services_on_a_database(clean_database):
    services = AsyncServices.on(async_units_of(clean_database))
    user, token = await services.users.create("ada@example.org")
    assert (await services.users.authenticate_token(token)).id == user.id


async def test_a_call_that_fails_midway_writes_nothing(services, ada):
    work = await services.calendars.create(ada.id, "Work")
    broken = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20250602T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=NEVER\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    with pytest.raises(Invalid):
        await services.appointments.import_ics(ada.id, work.id, broken)
    assert await services.appointments.count(ada.id, work.id) == 0
