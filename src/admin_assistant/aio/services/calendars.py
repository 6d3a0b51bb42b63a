"""Calendars, owner-scoped (the same on both stacks)."""

from __future__ import annotations

from admin_assistant.domain.fields import as_member
from admin_assistant.domain.models import Calendar, CalendarKind
from admin_assistant.domain.queries import DEFAULT_LIMIT

from .base import Service


class CalendarsService(Service):
    """A user's calendars; another user's calendar answers ``NotFound``, as if it did not exist."""

    read_methods = frozenset({"get", "list"})

    async def create(
        self, owner_id: int, name: str, kind: CalendarKind | str = CalendarKind.SOURCE, external_uri: str | None = None
    ) -> Calendar:
        calendar = Calendar(owner_id=owner_id, name=name, kind=as_member("kind", kind), external_uri=external_uri)
        async with self.units() as repos:
            await repos.users.get(owner_id)
            return await repos.calendars.add(calendar)

    async def get(self, owner_id: int, calendar_id: int) -> Calendar:
        async with self.units() as repos:
            return await repos.calendars.get(calendar_id, owner_id=owner_id)

    async def list(
        self, owner_id: int, kind: CalendarKind | str | None = None, offset: int = 0, limit: int | None = DEFAULT_LIMIT
    ) -> list[Calendar]:
        async with self.units() as repos:
            return await repos.calendars.list(
                owner_id=owner_id,
                kind=as_member("kind", kind),
                offset=offset,
                limit=limit,
            )

    async def delete(self, owner_id: int, calendar_id: int) -> None:
        """Delete the calendar with its appointments (and the archive configurations that use it)."""
        async with self.units() as repos:
            await repos.calendars.delete(calendar_id, owner_id=owner_id)
