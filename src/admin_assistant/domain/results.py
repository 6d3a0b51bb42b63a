"""Small values the services return besides ORM rows; shared, so both stacks return equal values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from admin_assistant.domain.models import User


class UserWithToken(NamedTuple):
    """A new user and its API token, in plain text: the only time the token is ever visible."""

    user: User
    token: str


@dataclass(frozen=True)
class ImportResult:
    """What an iCalendar import did: new appointments, changed ones, unchanged ones, refused events."""

    added: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.skipped + self.rejected
