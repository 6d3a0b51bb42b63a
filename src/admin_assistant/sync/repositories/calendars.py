"""Calendar rows on the sync stack; twin of ``admin_assistant.aio.repositories.calendars``."""

from __future__ import annotations

from admin_assistant.domain.models import Calendar
from admin_assistant.domain.queries import CALENDARS
from admin_assistant.sync.repositories.base import Repository


class CalendarsRepository(Repository[Calendar]):
    spec = CALENDARS
