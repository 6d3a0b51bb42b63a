"""What the toolkit adds to a call served at ``async`` (issue 18), counted in Python calls rather than
timed: the dual service facade, the meter around the new side and the dual units of work. Each
bound was exceeded before the change it guards; the meter's figures are checked beside it."""

from __future__ import annotations

import asyncio
import sys

import pytest
from sqlalchemy import Integer, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from support import database_with

from compat.control.meter import Figures, ServedMeter
from compat.dual import DualService, DualUnits
from compat.flags import FlagStore


class Base(DeclarativeBase):
    pass


class Entry(Base):
    __tablename__ = "async_path_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[str] = mapped_column(String(100))


class NotThere(Exception):
    """A domain's "not found": an answer, not the new path's failure."""


class OldGreeter:
    def get_greeting(self, name):
        return f"hello {name}"


class NewGreeter:
    async def get_greeting(self, name):
        await asyncio.sleep(0)  # a suspension, as a database round trip makes
        if name == "nobody":
            raise NotThere(name)
        if name == "bug":
            raise RuntimeError("the new path broke")
        return f"hello {name}"


class CallCounter:
    """Python calls in this thread while ``active`` (coroutine resumptions count as calls too)."""

    def __init__(self) -> None:
        self.calls, self.active = 0, False

    def __enter__(self) -> CallCounter:
        sys.setprofile(self.profile)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.setprofile(None)

    def profile(self, frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "call" and self.active:
            self.calls += 1


async def calls_per_run(run, n: int = 200, batches: int = 3) -> float:  # type: ignore[no-untyped-def]
    """Python calls per ``run()``: the fewest of ``batches`` batches. The meter opens a new bucket once a
    second (a few calls more); a batch that crosses a second, as on a loaded machine, counts them once."""
    for _ in range(20):  # warm-up
        await run()
    found = []
    for _ in range(batches):
        with CallCounter() as counter:
            counter.active = True
            for _ in range(n):
                await run()
            counter.active = False
        found.append(counter.calls / n)
    return min(found)


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "feature_flags.yaml"
    path.write_text("version: 1\nrollback: false\ndefault: async\n")
    return FlagStore(path, poll_interval=3600)  # no file check inside the counted calls


async def test_a_metered_service_at_async_costs_its_facade_its_stage_and_its_count(store) -> None:
    """Over the new method alone, a call through the async facade of a metered service costs the
    facade's frame (and its resumption), the stage lookup and the meter's count: 4 Python calls.
    With a frame for the meter's wrapper and one for awaiting what the method gave, each resumed
    too, it was 9."""
    meter = ServedMeter(expected=(NotThere,))
    bare = NewGreeter()
    dual = DualService("greeter", OldGreeter(), meter.wrap("greeter", NewGreeter()), store=store)
    alone = await calls_per_run(lambda: bare.get_greeting("ada"))
    served = await calls_per_run(lambda: dual.aio.get_greeting("ada"))
    assert served - alone <= 4, (served, alone)


async def test_the_facade_counts_a_metered_service_as_its_wrapper_did(store) -> None:
    meter = ServedMeter(expected=(NotThere,))
    dual = DualService("greeter", OldGreeter(), meter.wrap("greeter", NewGreeter()), store=store)
    assert await dual.aio.get_greeting("ada") == "hello ada"
    with pytest.raises(NotThere):  # an answer: counted, not a failure
        await dual.aio.get_greeting("nobody")
    with pytest.raises(RuntimeError):
        await dual.aio.get_greeting("bug")
    task = asyncio.ensure_future(dual.aio.get_greeting("ada"))
    await asyncio.sleep(0)
    task.cancel()  # a cancelled call is neither: not counted, as the wrapper did not count it
    with pytest.raises(asyncio.CancelledError):
        await task
    assert meter.figures("greeter", 60) == Figures(3, 1)


async def test_a_replaced_new_method_is_the_one_called(store) -> None:
    """The facade calls what the new side holds now (a test's monkeypatch, say), not what it held first."""
    meter = ServedMeter()
    new = meter.wrap("greeter", NewGreeter())
    dual = DualService("greeter", OldGreeter(), new, store=store)
    assert await dual.aio.get_greeting("ada") == "hello ada"

    async def replaced(name):
        return f"bye {name}"

    new.get_greeting = replaced
    assert await dual.aio.get_greeting("ada") == "bye ada"
    assert meter.figures("greeter", 60) == Figures(1, 0)  # the replacement is not the meter's


async def test_a_request_mark_costs_the_meter_two_calls() -> None:
    """``begin`` and ``end`` around a request: two Python calls (three with a dataclass's ``__init__``)."""
    meter = ServedMeter()

    async def request() -> None:
        meter.end(meter.begin("198.51.100.7"), 200)

    assert await calls_per_run(request) <= 3  # with ``request`` itself


@pytest.fixture
async def entries_db(database_url):
    async with database_with(database_url, Entry) as database:
        yield database


async def test_an_async_unit_makes_only_the_repositories_it_uses(store, entries_db) -> None:
    made: list[str] = []

    def repository(name: str) -> type:
        class Repository:
            def __init__(self, session) -> None:
                made.append(name)
                self.session = session

            async def list_bodies(self):
                return list((await self.session.execute(select(Entry.body))).scalars())

        return Repository

    pairs = {name: (object, repository(name)) for name in ("entries", "people", "places", "notes")}
    units = DualUnits(entries_db, pairs, store=store)
    async with units.aio() as repos:
        assert await repos.entries.list_bodies() == []
        assert repos.entries is repos.entries
        with pytest.raises(AttributeError, match="no repository named 'nothing'"):
            repos.nothing  # noqa: B018
    assert made == ["entries"]


class OldEntries:
    def __init__(self, session) -> None:
        self.session = session

    def list_bodies(self):
        return list(self.session.execute(select(Entry.body)).scalars())


class NewEntries:
    def __init__(self, session) -> None:
        self.session = session

    async def list_bodies(self):
        return list((await self.session.execute(select(Entry.body))).scalars())


async def test_an_async_unit_at_mixed_stages_costs_what_it_costs_at_async_for_its_async_repositories(
    tmp_path, entries_db
) -> None:
    """A unit whose repositories are partly at ``sync`` (the mix), reading only one at ``async``, costs
    what it costs with all at ``async``: before, it went through a unit, a namespace, a facade lookup
    and its checks for every call (7 Python calls more); the repositories not at ``async`` still work."""
    pairs = {"entries": (OldEntries, NewEntries), "notes": (OldEntries, NewEntries)}
    mixed_flags = tmp_path / "mixed.yaml"
    mixed_flags.write_text("version: 1\nrollback: false\ndefault: sync\ntargets:\n  repositories.entries: async\n")
    all_async = tmp_path / "async.yaml"
    all_async.write_text("version: 1\nrollback: false\ndefault: async\n")
    mixed = DualUnits(entries_db, pairs, store=FlagStore(mixed_flags, poll_interval=3600))
    at_async = DualUnits(entries_db, pairs, store=FlagStore(all_async, poll_interval=3600))

    async def read(units) -> list[str]:  # type: ignore[no-untyped-def]
        async with units.aio() as repos:
            return await repos.entries.list_bodies()

    async with mixed.aio() as repos:
        assert await repos.notes.list_bodies() == []  # at sync: the old repository, in a greenlet
        assert isinstance(repos.entries, NewEntries)
    cost_at_async = await calls_per_run(lambda: read(at_async), n=50)
    cost_mixed = await calls_per_run(lambda: read(mixed), n=50)
    assert cost_mixed - cost_at_async <= 1, (cost_mixed, cost_at_async)
