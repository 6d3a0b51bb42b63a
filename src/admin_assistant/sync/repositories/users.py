"""User rows (the aio twin of this package is generated from it: see ``__init__``)."""

from __future__ import annotations

from admin_assistant.domain.models import User
from admin_assistant.domain.queries import USERS

from .base import Repository


class UsersRepository(Repository[User]):
    spec = USERS
