"""``units_of(database)``: the services built straight on a database, each call its own unit of work."""

from __future__ import annotations

import pytest

from admin_assistant.aio.services import Services as AsyncServices
from admin_assistant.aio.services import units_of as async_units_of
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


class AddsFail:
    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def add_all(self, objs):
        raise RuntimeError("disk full")


def ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{body}END:VCALENDAR\r\n".encode()


async def test_a_call_that_fails_midway_writes_nothing(services, build_services, ada):
    work = await services.calendars.create(ada.id, "Work")
    await services.appointments.import_ics(
        ada.id, work.id, ics("UID:a\r\nDTSTART:20250602T090000Z\r\nDURATION:PT1H\r\nSUMMARY:Old")
    )

    def wrap(repos):
        repos.appointments = AddsFail(repos.appointments)
        return repos

    changed = ics(
        "UID:a\r\nDTSTART:20250602T090000Z\r\nDURATION:PT1H\r\nSUMMARY:New",
        "UID:b\r\nDTSTART:20250603T090000Z\r\nDURATION:PT1H",
    )
    with pytest.raises(RuntimeError):  # the update ran, then the add failed
        await build_services(wrap).appointments.import_ics(ada.id, work.id, changed)
    assert [a.subject for a in await services.appointments.list(ada.id, work.id)] == ["Old"]
