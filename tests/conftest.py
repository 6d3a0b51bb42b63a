"""The fixture matrix: database (SQLite file, PostgreSQL database made for the run) x colour (sync, async).

A test that takes ``uow`` runs four times, with one body and one set of expectations: inside
``async with uow() as repos`` every repository method is awaited, whichever stack serves it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from support import Awaitable, postgres_database

from admin_assistant.domain.models import Base
from admin_assistant.wiring import database as db_wiring
from compat.db import Database


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'admin-assistant.db'}"
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[Database]:
    """The run's database at the head revision, reached through both engines."""
    db = Database.from_url(database_url, db_wiring.SETTING)
    db_wiring.upgrade(db)
    yield db
    await db.adispose()


@pytest.fixture
def clean_database(database: Database) -> Database:
    """Empty every table before the test, so each test starts from nothing."""
    with database.sync_engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    return database


@pytest.fixture(params=["sync", "async"])
def colour(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def uow(clean_database: Database, colour: str) -> Any:
    """``async with uow() as repos``: a unit of work on the chosen colour, committed at the end."""
    from admin_assistant.aio.repositories import Repositories as AsyncRepositories
    from admin_assistant.sync.repositories import Repositories as SyncRepositories

    @contextlib.asynccontextmanager
    async def open_unit() -> AsyncIterator[Any]:
        if colour == "async":
            async with clean_database.async_unit_of_work() as session:
                yield AsyncRepositories.on(session)
        else:
            with clean_database.unit_of_work() as session:
                repos = SyncRepositories.on(session)
                yield SimpleNamespace(**{name: Awaitable(getattr(repos, name)) for name in vars(repos)})

    return open_unit
