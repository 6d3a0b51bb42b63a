"""Calendar rows (the aio twin of this package is generated from it: see ``__init__``)."""

from __future__ import annotations

from admin_assistant.domain.models import Calendar
from admin_assistant.domain.queries import CALENDARS

from .base import Repository


class CalendarsRepository(Repository[Calendar]):
    spec = CALENDARS
