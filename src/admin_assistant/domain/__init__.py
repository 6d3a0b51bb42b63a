"""The colour-free middle: models and errors shared by the sync and the async stack."""

from admin_assistant.domain.errors import DomainError, Duplicate, Invalid, NotFound
from admin_assistant.domain.models import (
    Appointment,
    ArchiveConfiguration,
    ArchiveRun,
    Base,
    Calendar,
    CalendarKind,
    RunStatus,
    User,
)

__all__ = [
    "Appointment",
    "ArchiveConfiguration",
    "ArchiveRun",
    "Base",
    "Calendar",
    "CalendarKind",
    "DomainError",
    "Duplicate",
    "Invalid",
    "NotFound",
    "RunStatus",
    "User",
]
