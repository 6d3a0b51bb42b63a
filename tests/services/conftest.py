"""Services on SQLite x PostgreSQL x every way the two stacks can be mixed, one async test body.

``colour`` here is one of ``MODES``: each stack alone (``sync``, ``async``), and through the dual
adapters: sync services on async repositories, async services on sync repositories, ``shadow``,
``live``, and ``rollback`` on. ``services`` is awaitable in every mode (sync callers run in a
thread of their own, as Flask views do), so one body checks every mode with one set of
expectations; in the dual modes every side-by-side comparison must also match.
``build_services(wrap)`` lets a test change the repositories every unit yields (to inject a
failure, for instance).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from support import Awaitable, ThreadedAwaitable

from admin_assistant.aio.repositories import Repositories as AsyncRepositories
from admin_assistant.aio.services import Services as AsyncServices
from admin_assistant.sync.repositories import Repositories as SyncRepositories
from admin_assistant.sync.services import Services as SyncServices
from admin_assistant.wiring.app import repository_pairs
from compat.db import Database
from compat.dual import DualService, DualUnits
from compat.flags import FlagStore
from compat.shadow import Checker, MemoryRecorder

# mode -> (caller colour, stages, rollback)
DUAL_MODES = {
    "sync-services-on-async-repositories": ("sync", {"services": "sync", "repositories": "async"}, False),
    "async-services-on-sync-repositories": ("async", {"services": "async", "repositories": "sync"}, False),
    "shadow": ("sync", {"services": "shadow", "repositories": "shadow"}, False),
    "live": ("async", {"services": "live", "repositories": "live"}, False),
    "rollback": ("async", {"services": "async", "repositories": "async"}, True),
}
MODES = ["sync", "async", *DUAL_MODES]

Wrap = Callable[[Any], Any]


def _unchanged(repos: Any) -> Any:
    return repos


@pytest.fixture(params=MODES)
def colour(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def checker(tmp_path: Any, colour: str, request: pytest.FixtureRequest) -> Any:
    """The dual modes' flags and checker; after the test, every comparison must have matched
    (unless the test is marked ``rows_change_under_checks``: it deletes rows mid-call on purpose)."""
    if colour not in DUAL_MODES:
        yield None
        return
    _caller, stages, rollback = DUAL_MODES[colour]
    path = tmp_path / "feature_flags.yaml"
    targets = "".join(f"  {target}: {stage}\n" for target, stage in stages.items())
    path.write_text(f"version: 1\nrollback: {str(rollback).lower()}\ndefault: sync\ntargets:\n{targets}")
    store = FlagStore(path)
    checker = Checker(MemoryRecorder(), settings=lambda: store.snapshot().shadow)
    checker.store = store  # type: ignore[attr-defined]
    yield checker
    await checker.drain()
    if request.node.get_closest_marker("rows_change_under_checks"):
        return
    unequal = [c for c in checker.recorder.comparisons if not c.matched]
    assert not unequal, f"side-by-side runs differ: {unequal}"


def _dual_services(database: Database, colour: str, checker: Any, wrap: Wrap) -> Any:
    caller, _stages, _rollback = DUAL_MODES[colour]
    store = checker.store
    units = DualUnits(database, repository_pairs(), store=store, checker=checker)

    @contextlib.contextmanager
    def sync_units() -> Iterator[Any]:
        with units.sync() as repos:
            yield wrap(repos)

    @contextlib.asynccontextmanager
    async def async_units() -> AsyncIterator[Any]:
        async with units.aio() as repos:
            yield wrap(repos)

    old, new = SyncServices.on(sync_units), AsyncServices.on(async_units)
    duals = {
        f.name: DualService(
            f"services.{f.name}", getattr(old, f.name), getattr(new, f.name), store=store, checker=checker
        )
        for f in dataclasses.fields(old)
    }
    facade = (lambda dual: ThreadedAwaitable(dual.sync)) if caller == "sync" else (lambda dual: dual.aio)
    return SimpleNamespace(**{name: Settled(facade(dual), checker) for name, dual in duals.items()})


class Settled:
    """Waits for a call's side-by-side checks before returning, so the next call of the test
    cannot change the rows a check is still reading (checks run in the background)."""

    def __init__(self, target: Any, checker: Checker) -> None:
        self._target, self._checker = target, checker

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._target, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return await method(*args, **kwargs)
            finally:
                await self._checker.drain()

        return call


@pytest.fixture
def build_services(clean_database: Database, colour: str, checker: Any) -> Callable[..., Any]:
    def build(wrap: Wrap = _unchanged) -> Any:
        if colour in DUAL_MODES:
            return _dual_services(clean_database, colour, checker, wrap)
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
