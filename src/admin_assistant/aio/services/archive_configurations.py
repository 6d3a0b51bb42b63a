"""Archive configurations, owner-scoped (the same on both stacks)."""

from __future__ import annotations

from admin_assistant.domain.errors import Invalid
from admin_assistant.domain.models import ArchiveConfiguration
from admin_assistant.domain.queries import DEFAULT_LIMIT

from .base import Service


class ArchiveConfigurationsService(Service):
    """Which calendar is archived into which, in which timezone, and whether the daily job runs it."""

    read_methods = frozenset({"get", "list"})

    async def create(
        self,
        owner_id: int,
        name: str,
        source_calendar_id: int,
        archive_calendar_id: int,
        timezone: str | None = None,
        schedule: str = "23:00",
        active: bool = True,
    ) -> ArchiveConfiguration:
        """Both calendars must be the owner's; the timezone defaults to the owner's."""
        if source_calendar_id == archive_calendar_id:
            raise Invalid("an archive configuration needs two different calendars (source and archive)")
        async with self.units() as repos:
            owner = await repos.users.get(owner_id)
            await repos.calendars.get(source_calendar_id, owner_id=owner_id)
            await repos.calendars.get(archive_calendar_id, owner_id=owner_id)
            configuration = ArchiveConfiguration(
                owner_id=owner_id,
                name=name,
                source_calendar_id=source_calendar_id,
                archive_calendar_id=archive_calendar_id,
                timezone=timezone or owner.timezone,
                schedule=schedule,
                active=active,
            )
            return await repos.archive_configurations.add(configuration)

    async def list(
        self, owner_id: int, active: bool | None = None, offset: int = 0, limit: int | None = DEFAULT_LIMIT
    ) -> list[ArchiveConfiguration]:
        async with self.units() as repos:
            return await repos.archive_configurations.list(owner_id=owner_id, active=active, offset=offset, limit=limit)

    async def get(self, owner_id: int, configuration_id: int) -> ArchiveConfiguration:
        async with self.units() as repos:
            return await repos.archive_configurations.get(configuration_id, owner_id=owner_id)

    async def activate(self, owner_id: int, configuration_id: int) -> ArchiveConfiguration:
        async with self.units() as repos:
            return await repos.archive_configurations.update(configuration_id, {"active": True}, owner_id=owner_id)

    async def deactivate(self, owner_id: int, configuration_id: int) -> ArchiveConfiguration:
        async with self.units() as repos:
            return await repos.archive_configurations.update(configuration_id, {"active": False}, owner_id=owner_id)

    async def delete(self, owner_id: int, configuration_id: int) -> None:
        async with self.units() as repos:
            await repos.archive_configurations.delete(configuration_id, owner_id=owner_id)
