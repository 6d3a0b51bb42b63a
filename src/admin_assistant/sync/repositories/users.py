"""User rows on the sync stack; twin of ``admin_assistant.aio.repositories.users``."""

from __future__ import annotations

from admin_assistant.domain.models import User
from admin_assistant.domain.queries import USERS
from admin_assistant.sync.repositories.base import Repository


class UsersRepository(Repository[User]):
    spec = USERS
