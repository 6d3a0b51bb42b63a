"""User rows on the aio stack; twin of ``admin_assistant.sync.repositories.users``."""

from __future__ import annotations

from admin_assistant.aio.repositories.base import Repository
from admin_assistant.domain.models import User
from admin_assistant.domain.queries import USERS


class UsersRepository(Repository[User]):
    spec = USERS
