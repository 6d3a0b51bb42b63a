"""Services: the application's behaviour, one class per area, all on one ``units``.

The ``sync`` and ``aio`` packages have the same classes, the same methods, in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass

from admin_assistant.aio.services.appointments import AppointmentsService
from admin_assistant.aio.services.archive import CalendarArchiveService
from admin_assistant.aio.services.archive_configurations import ArchiveConfigurationsService
from admin_assistant.aio.services.calendars import CalendarsService
from admin_assistant.aio.services.users import UsersService

from .base import Service, Units, units_of


@dataclass(frozen=True)
class Services:
    """Every service on one ``units`` factory: what the web, the CLI and the jobs are given."""

    users: UsersService
    calendars: CalendarsService
    appointments: AppointmentsService
    archive_configurations: ArchiveConfigurationsService
    archive: CalendarArchiveService

    @classmethod
    def on(cls, units: Units) -> Services:
        return cls(
            users=UsersService(units),
            calendars=CalendarsService(units),
            appointments=AppointmentsService(units),
            archive_configurations=ArchiveConfigurationsService(units),
            archive=CalendarArchiveService(units),
        )


__all__ = [
    "AppointmentsService",
    "ArchiveConfigurationsService",
    "CalendarArchiveService",
    "CalendarsService",
    "Service",
    "Services",
    "Units",
    "UsersService",
    "units_of",
]
