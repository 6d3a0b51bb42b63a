"""Services on SQLite x PostgreSQL x sync x async, driven by one async test body.

``services`` is the stack's ``Services``; on the sync stack each service is wrapped in
``Awaitable``, so ``await services.users.create(...)`` works on both. ``build_services(wrap)``
lets a test change the repositories every unit yields (to inject a failure, for instance).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from support import Awaitable

from admin_assistant.aio.repositories import Repositories as AsyncRepositories
from admin_assistant.aio.services import Services as AsyncServices
from admin_assistant.sync.repositories import Repositories as SyncRepositories
from admin_assistant.sync.services import Services as SyncServices
from compat.db import Database

Wrap = Callable[[Any], Any]


def _unchanged(repos: Any) -> Any:
    return repos


@pytest.fixture
def build_services(clean_database: Database, colour: str) -> Callable[..., Any]:
    def build(wrap: Wrap = _unchanged) -> Any:
        if colour == "async":

            @contextlib.asynccontextmanager
            async def async_units() -> AsyncIterator[Any]:
                async with clean_database.async_unit_of_work() as session:
                    yield wrap(AsyncRepositories.on(session))

            return AsyncServices.on(async_units)

        @contextlib.contextmanager
        def sync_units() -> Iterator[Any]:
            with clean_database.unit_of_work() as session:
                yield wrap(SyncRepositories.on(session))

        services = SyncServices.on(sync_units)
        return SimpleNamespace(**{f.name: Awaitable(getattr(services, f.name)) for f in dataclasses.fields(services)})

    return build


@pytest.fixture
def services(build_services: Callable[..., Any]) -> Any:
    return build_services()


@pytest.fixture
async def ada(services: Any) -> Any:
    """A user in Paris."""
    created = await services.users.create("ada@example.org", "Ada", timezone="Europe/Paris")
    return created.user


@pytest.fixture
async def grace(services: Any) -> Any:
    return (await services.users.create("grace@example.org", "Grace")).user
