"""The sessions the written wiring gives services end with the work that began them: a task's
session when the task ends (the checking side of a side-by-side call runs in a task of the
checker's, which nobody else would end), and an old-side call run in a bridge worker thread (for an
async caller) ends the session it began when it returns. Left open, each held a connection and, on
SQLite, the write lock, and every later writer waited out the busy timeout (seen on the real app)."""

from __future__ import annotations

import asyncio

import anyio
from sqlalchemy import text

from compat import bridge
from compat.control.wiring_services import ServiceSides
from compat.db import Database


class Counting:
    """A service holding the session the wiring gave it, as the application's services do."""

    def __init__(self, session):
        self.session = session

    def count(self):
        return self.session.execute(text("SELECT count(*) FROM sqlite_master")).scalar()


class AsyncCounting:
    def __init__(self, session):
        self.session = session

    async def count(self):
        return (await self.session.execute(text("SELECT count(*) FROM sqlite_master"))).scalar()


def sides(tmp_path):
    database = Database.from_url(f"sqlite:///{tmp_path / 'app.db'}")
    pairs = {"counting": (Counting, AsyncCounting)}
    return database, ServiceSides(database, pairs, {"counting": {"session": "session"}}, {})


def test_a_tasks_session_is_closed_when_the_task_ends(tmp_path):
    database, services = sides(tmp_path)
    _old, new = services.dual_sides("counting")

    async def main():
        await asyncio.create_task(new.count())  # as the checker runs a checking side: in a task of its own
        for _ in range(20):  # the close is scheduled when the task ends
            await asyncio.sleep(0.01)
        held = database.async_engine.sync_engine.pool.checkedout()
        await database.adispose()
        return held

    assert anyio.run(main) == 0
    database.dispose()


def test_an_old_side_call_in_a_bridge_worker_ends_the_session_it_began(tmp_path):
    database, services = sides(tmp_path)
    old, _new = services.dual_sides("counting")

    async def main():
        return await bridge.call_async(old.count)  # as DualService serves an async caller from the old side

    assert anyio.run(main) == 0
    assert database.sync_engine.pool.checkedout() == 0
    old.count()  # called by the application's own thread: the caller ends it, with sessions.remove()
    assert database.sync_engine.pool.checkedout() == 1
    services.remove()
    assert database.sync_engine.pool.checkedout() == 0
    database.dispose()


class AsyncLoading:
    """What sqlalchemy-to-async writes for a constructor that loads: built with await."""

    def __init__(self, *args, **kwargs):
        raise TypeError("build AsyncLoading with 'await AsyncLoading.create_async(...)': building it loads data")

    @classmethod
    async def create_async(cls, session):
        self = cls.__new__(cls)
        await self._init_async(session)
        return self

    async def _init_async(self, session):
        self.session = session
        self.tables = (await session.execute(text("SELECT count(*) FROM sqlite_master"))).scalar()


def test_a_class_built_with_await_is_built_by_its_factory(tmp_path):
    database = Database.from_url(f"sqlite:///{tmp_path / 'app.db'}")
    services = ServiceSides(database, {"loading": (Counting, AsyncLoading)}, {"loading": {"session": "session"}}, {})
    _old, new = services.sides("loading")
    assert new.tables == 0
    bridge.run_sync(database.adispose())
    database.dispose()
