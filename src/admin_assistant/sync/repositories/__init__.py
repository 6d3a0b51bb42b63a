"""Repositories: one per model, all with the same methods and errors on both stacks.

``admin_assistant.aio.repositories`` is generated from this package (``asyncshift codemod run
sqlalchemy-to-async --twin``, checked by ``tests/test_twins_generated.py``): edit here, regenerate there.
"""

from __future__ import annotations

from dataclasses import dataclass

from admin_assistant.sync.repositories.appointments import AppointmentsRepository
from admin_assistant.sync.repositories.archive_configurations import ArchiveConfigurationsRepository
from admin_assistant.sync.repositories.archive_runs import ArchiveRunsRepository
from admin_assistant.sync.repositories.base import Repository
from admin_assistant.sync.repositories.calendars import CalendarsRepository
from admin_assistant.sync.repositories.users import UsersRepository


@dataclass
class Repositories:
    """Every repository on one session: what a unit of work hands to the services."""

    users: UsersRepository
    calendars: CalendarsRepository
    appointments: AppointmentsRepository
    archive_configurations: ArchiveConfigurationsRepository
    archive_runs: ArchiveRunsRepository

    @classmethod
    def on(cls, session) -> Repositories:  # type: ignore[no-untyped-def]
        return cls(
            users=UsersRepository(session),
            calendars=CalendarsRepository(session),
            appointments=AppointmentsRepository(session),
            archive_configurations=ArchiveConfigurationsRepository(session),
            archive_runs=ArchiveRunsRepository(session),
        )


__all__ = [
    "AppointmentsRepository",
    "ArchiveConfigurationsRepository",
    "ArchiveRunsRepository",
    "CalendarsRepository",
    "Repositories",
    "Repository",
    "UsersRepository",
]
