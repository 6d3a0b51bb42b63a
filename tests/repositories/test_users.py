"""Users repository: the same behaviour on SQLite x PostgreSQL x sync x async."""

from __future__ import annotations

import factories as make
import pytest

from admin_assistant.domain.errors import Duplicate, Invalid, NotFound


async def test_added_user_is_read_back_by_id(uow):
    async with uow() as repos:
        added = await repos.users.add(make.user(email="Ada@Example.org", display_name="Ada"))
    async with uow() as repos:
        got = await repos.users.get(added.id)
    assert (got.email, got.display_name, got.timezone) == ("ada@example.org", "Ada", "UTC")
    assert got.created_at.tzinfo is not None


async def test_duplicate_email_is_refused_and_the_transaction_stays_usable(uow):
    async with uow() as repos:
        await repos.users.add(make.user(email="ada@example.org"))
        with pytest.raises(Duplicate):
            await repos.users.add(make.user(email="ADA@example.org"))
        await repos.users.add(make.user(email="grace@example.org"))
    async with uow() as repos:
        assert await repos.users.count() == 2


async def test_missing_user_is_not_found(uow):
    async with uow() as repos:
        with pytest.raises(NotFound):
            await repos.users.get(987654)


def test_malformed_email_is_invalid():
    with pytest.raises(Invalid):
        make.user(email="not-an-email")


async def test_user_is_found_by_email_and_token_hash(uow):
    async with uow() as repos:
        added = await repos.users.add(make.user(email="ada@example.org", api_token_hash="h" * 64))
        assert (await repos.users.find(email=" ADA@example.org ")).id == added.id
        assert (await repos.users.find(api_token_hash="h" * 64)).id == added.id
        assert await repos.users.find(email="nobody@example.org") is None


async def test_update_changes_fields_and_refuses_unknown_ones(uow):
    async with uow() as repos:
        added = await repos.users.add(make.user())
        await repos.users.update(added.id, {"display_name": "Renamed", "timezone": "Europe/Paris"})
        with pytest.raises(Invalid):
            await repos.users.update(added.id, {"shoe_size": 42})
    async with uow() as repos:
        got = await repos.users.get(added.id)
    assert (got.display_name, got.timezone) == ("Renamed", "Europe/Paris")


async def test_deleted_user_is_gone(uow):
    async with uow() as repos:
        added = await repos.users.add(make.user())
        await repos.users.delete(added.id)
    async with uow() as repos:
        with pytest.raises(NotFound):
            await repos.users.get(added.id)


async def test_list_pages_in_id_order(uow):
    async with uow() as repos:
        added = await repos.users.add_all([make.user() for _ in range(5)])
    ids = [u.id for u in added]
    async with uow() as repos:
        first = await repos.users.list(limit=2)
        second = await repos.users.list(offset=2, limit=2)
        rest = await repos.users.list(offset=4)
    assert [u.id for u in first + second + rest] == ids


async def test_paging_outside_bounds_is_invalid(uow):
    async with uow() as repos:
        with pytest.raises(Invalid):
            await repos.users.list(limit=0)
        with pytest.raises(Invalid):
            await repos.users.list(offset=-1)


async def test_unknown_filter_is_invalid(uow):
    async with uow() as repos:
        with pytest.raises(Invalid, match="cannot be filtered by colour"):
            await repos.users.list(colour="blue")
