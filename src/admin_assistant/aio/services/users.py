"""Users and their API tokens (the same on both stacks)."""

from __future__ import annotations

from admin_assistant.domain.errors import NotFound
from admin_assistant.domain.models import User
from admin_assistant.domain.queries import DEFAULT_LIMIT
from admin_assistant.domain.results import UserWithToken
from admin_assistant.domain.tokens import generate_token, hash_token

from .base import Service


class UsersService(Service):
    """Accounts. A token is returned once, when made; only its hash is stored."""

    read_methods = frozenset({"get", "find_by_email", "authenticate_token", "list"})

    async def create(self, email: str, display_name: str = "", timezone: str = "UTC") -> UserWithToken:
        token = generate_token()
        user = User(email=email, display_name=display_name, timezone=timezone, api_token_hash=hash_token(token))
        async with self.units() as repos:
            await repos.users.add(user)
        return UserWithToken(user, token)

    async def get(self, user_id: int) -> User:
        async with self.units() as repos:
            return await repos.users.get(user_id)

    async def find_by_email(self, email: str) -> User:
        async with self.units() as repos:
            user = await repos.users.find(email=email)
        if user is None:
            raise NotFound("user", email)
        return user

    async def authenticate_token(self, token: str) -> User:
        """The user whose token this is; ``NotFound`` (never saying why) for anything else."""
        if not token:
            raise NotFound("api token", "(none)")
        async with self.units() as repos:
            user = await repos.users.find(api_token_hash=hash_token(token))
        if user is None:
            raise NotFound("api token", "(hidden)")
        return user

    async def rotate_token(self, user_id: int) -> str:
        """A new token for the user; the old one stops working at once."""
        token = generate_token()
        async with self.units() as repos:
            await repos.users.update(user_id, {"api_token_hash": hash_token(token)})
        return token

    async def list(self, offset: int = 0, limit: int | None = DEFAULT_LIMIT) -> list[User]:
        async with self.units() as repos:
            return await repos.users.list(offset=offset, limit=limit)
