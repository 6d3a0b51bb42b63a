"""Calendar rows on the aio stack; twin of ``admin_assistant.sync.repositories.calendars``."""

from __future__ import annotations

from admin_assistant.aio.repositories.base import Repository
from admin_assistant.domain.models import Calendar
from admin_assistant.domain.queries import CALENDARS


class CalendarsRepository(Repository[Calendar]):
    spec = CALENDARS
