"""UsersService on both stacks and both databases: accounts and API tokens."""

from __future__ import annotations

import pytest

from admin_assistant.domain.errors import Duplicate, Invalid, NotFound
from admin_assistant.domain.tokens import hash_token


async def test_create_returns_the_token_once_and_stores_only_its_hash(services):
    user, token = await services.users.create("Ada@Example.org", "Ada", timezone="Europe/Paris")
    stored = await services.users.get(user.id)
    assert token.startswith("aa_") and len(token) > 40
    assert stored.api_token_hash == hash_token(token) != token
    assert (stored.email, stored.display_name, stored.timezone) == ("ada@example.org", "Ada", "Europe/Paris")


async def test_authenticate_token_finds_the_user(services):
    user, token = await services.users.create("ada@example.org")
    assert (await services.users.authenticate_token(token)).id == user.id


@pytest.mark.parametrize("token", ["", "aa_not-a-real-token"])
async def test_an_unknown_or_empty_token_is_not_found(services, token):
    await services.users.create("ada@example.org")
    with pytest.raises(NotFound):
        await services.users.authenticate_token(token)


async def test_rotate_token_replaces_the_old_one(services):
    user, old = await services.users.create("ada@example.org")
    new = await services.users.rotate_token(user.id)
    assert new != old
    assert (await services.users.authenticate_token(new)).id == user.id
    with pytest.raises(NotFound):
        await services.users.authenticate_token(old)


async def test_rotate_token_of_an_unknown_user_is_not_found(services):
    with pytest.raises(NotFound):
        await services.users.rotate_token(999_999)


async def test_find_by_email_ignores_case_and_says_not_found(services):
    user, _ = await services.users.create("ada@example.org")
    assert (await services.users.find_by_email(" ADA@example.org ")).id == user.id
    with pytest.raises(NotFound):
        await services.users.find_by_email("nobody@example.org")


async def test_same_email_twice_is_a_duplicate(services):
    await services.users.create("ada@example.org")
    with pytest.raises(Duplicate):
        await services.users.create("ADA@example.org")


@pytest.mark.parametrize("fields", [{"email": "not-an-email"}, {"email": "a@example.org", "timezone": "Mars/Olympus"}])
async def test_invalid_user_is_refused(services, fields):
    with pytest.raises(Invalid):
        await services.users.create(**fields)


async def test_list_pages_in_id_order(services):
    created = [(await services.users.create(f"u{n}@example.org")).user for n in range(5)]
    first = await services.users.list(limit=2)
    rest = await services.users.list(offset=2, limit=10)
    assert [u.id for u in first + rest] == [u.id for u in created]
