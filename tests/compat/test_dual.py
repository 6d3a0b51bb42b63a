"""compat.dual: routing by stage, both call styles, checks off the caller's path, one transaction."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from sqlalchemy import Integer, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from support import database_with, rows_in

from compat import bridge
from compat.dual import DualService, DualUnits
from compat.flags import FlagStore
from compat.shadow import Checker, MemoryRecorder


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "dual_test_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[str] = mapped_column(String(100), unique=True)


class OldNotes:
    def __init__(self, session):
        self.session = session

    def add(self, note):
        self.session.add(note)
        self.session.flush()
        return note

    def list_bodies(self):
        return list(self.session.execute(select(Note.body).order_by(Note.body)).scalars())

    def list_notes(self):
        return list(self.session.execute(select(Note).order_by(Note.body)).scalars())


class NewNotes:
    def __init__(self, session):
        self.session = session

    async def add(self, note):
        self.session.add(note)
        await self.session.flush()
        return note

    async def list_bodies(self):
        return list((await self.session.execute(select(Note.body).order_by(Note.body))).scalars())

    async def list_notes(self):
        return list((await self.session.execute(select(Note).order_by(Note.body))).scalars())


class OldGreeter:
    def __init__(self):
        self.calls = 0

    def get_greeting(self, name):
        self.calls += 1
        return {"text": f"hello {name}", "by": "either"}

    def save(self, name):
        self.calls += 1
        return name


class NewGreeter:
    def __init__(self, behaviour="same"):
        self.behaviour = behaviour
        self.calls = 0

    async def get_greeting(self, name):
        self.calls += 1
        if self.behaviour == "raise":
            raise RuntimeError("the new path broke")
        if self.behaviour == "hang":
            await asyncio.sleep(30)
        text = f"HELLO {name}" if self.behaviour == "differ" else f"hello {name}"
        return {"text": text, "by": "either"}

    async def save(self, name):
        self.calls += 1
        return name


def write_flags(path, *, stage="sync", rollback=False, target="greeter", timeout=0.3):
    path.write_text(
        f"version: 1\nrollback: {str(rollback).lower()}\ndefault: sync\n"
        f"targets:\n  {target}: {stage}\nshadow:\n  sample_rate: 1.0\n  timeout: {timeout}\n"
    )


@pytest.fixture
def flags(tmp_path):
    path = tmp_path / "feature_flags.yaml"
    write_flags(path)
    store = FlagStore(path, poll_interval=0.01)

    def set_stage(stage, **kw):
        write_flags(path, stage=stage, **kw)
        store.refresh()

    return store, set_stage


@pytest.fixture
def checker(flags):
    store, _ = flags
    return Checker(MemoryRecorder(), settings=lambda: store.snapshot().shadow)


@pytest.mark.parametrize(("stage", "old_calls", "new_calls"), [("sync", 1, 0), ("async", 0, 1)])
async def test_one_side_serves_at_sync_and_async_from_both_call_styles(flags, checker, stage, old_calls, new_calls):
    store, set_stage = flags
    set_stage(stage)
    old, new = OldGreeter(), NewGreeter()
    dual = DualService("greeter", old, new, store=store, checker=checker)
    assert await dual.aio.get_greeting("ada") == {"text": "hello ada", "by": "either"}
    assert await bridge.call_async(dual.sync.get_greeting, "ada") == {"text": "hello ada", "by": "either"}
    assert (old.calls, new.calls) == (2 * old_calls, 2 * new_calls)


async def test_shadow_serves_old_and_records_a_match(flags, checker):
    store, set_stage = flags
    set_stage("shadow")
    dual = DualService("greeter", OldGreeter(), NewGreeter(), store=store, checker=checker)
    assert (await dual.aio.get_greeting("ada"))["text"] == "hello ada"
    await checker.drain()
    [run] = checker.recorder.comparisons
    assert (run.target, run.method, run.stage, run.served, run.status) == (
        "greeter",
        "get_greeting",
        "shadow",
        "old",
        "match",
    )


async def test_live_serves_new_and_checks_old_from_a_sync_caller(flags, checker):
    store, set_stage = flags
    set_stage("live")
    old, new = OldGreeter(), NewGreeter(behaviour="differ")
    dual = DualService("greeter", old, new, store=store, checker=checker)
    assert (await bridge.call_async(dual.sync.get_greeting, "ada"))["text"] == "HELLO ada"
    await checker.drain()
    [run] = checker.recorder.comparisons
    assert (run.served, run.status, old.calls) == ("new", "mismatch", 1)
    assert "$.text: 'hello ada' != 'HELLO ada'" in run.diff


@pytest.mark.parametrize(("behaviour", "status"), [("raise", "error"), ("hang", "timeout"), ("differ", "mismatch")])
async def test_a_failing_checking_side_never_reaches_the_caller(flags, checker, behaviour, status):
    store, set_stage = flags
    set_stage("shadow", timeout=0.2)
    dual = DualService("greeter", OldGreeter(), NewGreeter(behaviour), store=store, checker=checker)
    started = time.perf_counter()
    assert (await dual.aio.get_greeting("ada"))["text"] == "hello ada"
    assert time.perf_counter() - started < 0.1  # the caller did not wait for the checking side
    await checker.drain()
    [run] = checker.recorder.comparisons
    assert run.status == status


async def test_writes_are_not_run_twice_by_default(flags, checker):
    store, set_stage = flags
    set_stage("shadow")
    old, new = OldGreeter(), NewGreeter()
    dual = DualService("greeter", old, new, store=store, checker=checker)
    assert await dual.aio.save("x") == "x"
    await checker.drain()
    assert (old.calls, new.calls, checker.recorder.comparisons) == (1, 0, [])


async def test_rollback_sends_a_live_target_back_to_old_on_the_next_call(flags, checker):
    store, set_stage = flags
    set_stage("async")
    old, new = OldGreeter(), NewGreeter()
    dual = DualService("greeter", old, new, store=store, checker=checker)
    await dual.aio.get_greeting("a")
    set_stage("async", rollback=True)
    await dual.aio.get_greeting("b")
    assert (old.calls, new.calls) == (1, 1)


async def test_concurrent_calls_survive_rollback_flips(flags, checker):
    store, set_stage = flags
    set_stage("live")
    dual = DualService("greeter", OldGreeter(), NewGreeter(), store=store, checker=checker)
    stop = asyncio.Event()

    async def flipper():
        on = False
        while not stop.is_set():
            on = not on
            set_stage("live", rollback=on)
            await asyncio.sleep(0.005)

    async def caller(i):
        for j in range(20):
            if j % 2:
                assert (await dual.aio.get_greeting(f"{i}"))["text"] == f"hello {i}"
            else:
                assert (await bridge.call_async(dual.sync.get_greeting, f"{i}"))["text"] == f"hello {i}"

    flip = asyncio.create_task(flipper())
    await asyncio.gather(*(caller(i) for i in range(10)))
    stop.set()
    await flip
    await checker.drain()


# ------------------------------------------------------------------------------- declared reads


class OldDeclaredGreeter(OldGreeter):
    read_methods = frozenset({"greeting_for"})

    def greeting_for(self, name):
        return self.get_greeting(name)


class NewDeclaredGreeter(NewGreeter):
    read_methods = frozenset({"greeting_for"})

    async def greeting_for(self, name):
        return await self.get_greeting(name)


async def test_a_declared_read_with_a_name_unlike_a_read_is_checked(flags, checker):
    store, set_stage = flags
    set_stage("shadow")
    old, new = OldDeclaredGreeter(), NewDeclaredGreeter()
    dual = DualService("greeter", old, new, store=store, checker=checker)
    assert (await dual.aio.greeting_for("ada"))["text"] == "hello ada"
    await checker.drain()
    assert [(r.method, r.status) for r in checker.recorder.comparisons] == [("greeting_for", "match")]
    assert (old.calls, new.calls) == (1, 1)


async def test_a_class_that_declares_its_reads_has_no_others_whatever_their_names(flags, checker):
    store, set_stage = flags
    set_stage("shadow")
    old, new = OldDeclaredGreeter(), NewDeclaredGreeter()
    dual = DualService("greeter", old, new, store=store, checker=checker)
    assert (await dual.aio.get_greeting("ada"))["text"] == "hello ada"
    await checker.drain()
    assert (old.calls, new.calls, checker.recorder.comparisons) == (1, 0, [])


async def test_a_class_that_declares_nothing_is_judged_by_its_method_names(flags, checker):
    store, set_stage = flags
    set_stage("shadow")
    old, new = OldGreeter(), NewGreeter()
    dual = DualService("greeter", old, new, store=store, checker=checker)
    await dual.aio.get_greeting("ada")
    await dual.aio.save("ada")
    await checker.drain()
    assert [r.method for r in checker.recorder.comparisons] == ["get_greeting"]
    assert (old.calls, new.calls) == (2, 1)


def test_two_sides_declaring_different_reads_are_refused(flags):
    store, _ = flags

    class NewOtherGreeter(NewGreeter):
        read_methods = frozenset({"get_greeting"})

    with pytest.raises(ValueError, match="different read_methods"):
        DualService("greeter", OldDeclaredGreeter(), NewOtherGreeter(), store=store)


def test_a_declared_read_the_class_does_not_have_is_refused(flags):
    store, _ = flags

    class OldMisspelt(OldGreeter):
        read_methods = frozenset({"get_greting"})

    with pytest.raises(ValueError, match="get_greting"):
        DualService("greeter", OldMisspelt(), NewGreeter(), store=store)


# ---------------------------------------------------------------------------- units of work


@pytest.fixture
async def notes_db(database_url):
    async with database_with(database_url, Note) as database:
        yield database


def count(database):
    return rows_in(database, Note)


def pairs():
    return {"old_notes": (OldNotes, NewNotes), "new_notes": (OldNotes, NewNotes)}


def units_at(database, flags, checker, stage, target):
    """Dual units of the notes repositories, with ``target`` at ``stage``."""
    store, set_stage = flags
    set_stage(stage, target=target)
    return DualUnits(database, pairs(), store=store, checker=checker)


async def test_mixed_unit_from_a_sync_caller_commits_as_one(notes_db, flags, checker):
    units = units_at(notes_db, flags, checker, "async", "repositories.new_notes")

    def work():
        with units.sync() as repos:
            repos.old_notes.add(Note(body="old"))
            repos.new_notes.add(Note(body="new"))
            return repos.old_notes.list_bodies()

    assert await bridge.call_async(work) == ["new", "old"]  # the old side sees the new side's write
    assert count(notes_db) == 2


@pytest.mark.parametrize("caller", ["sync", "async"])
async def test_mixed_unit_rolls_back_as_one(notes_db, flags, checker, caller):
    units = units_at(notes_db, flags, checker, "async", "repositories.new_notes")

    def sync_work():
        with units.sync() as repos:
            repos.new_notes.add(Note(body="new"))
            repos.old_notes.add(Note(body="old"))
            raise RuntimeError("boom")

    async def async_work():
        async with units.aio() as repos:
            await repos.new_notes.add(Note(body="new"))
            await repos.old_notes.add(Note(body="old"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        if caller == "sync":
            await bridge.call_async(sync_work)
        else:
            await async_work()
    assert count(notes_db) == 0


async def test_all_old_unit_from_a_sync_caller_uses_a_plain_session(notes_db, flags, checker):
    store, _ = flags
    units = DualUnits(notes_db, pairs(), store=store, checker=checker)
    seen = {}

    def work():
        with units.sync() as repos:
            seen["repository"] = type(repos.old_notes).__name__  # the repository itself, no facade
            seen["session"] = type(repos.old_notes.session).__name__
            repos.old_notes.add(Note(body="a"))
            seen["thread"] = threading.current_thread().name

    await bridge.call_async(work)
    assert seen["repository"] == "OldNotes" and seen["session"] == "Session" and count(notes_db) == 1


async def test_async_unit_at_async_hands_out_the_new_repository_itself(notes_db, flags, checker):
    units = units_at(notes_db, flags, checker, "async", "repositories")
    async with units.aio() as repos:
        assert type(repos.new_notes).__name__ == "NewNotes"  # no facade: nothing to compare or bridge
        await repos.new_notes.add(Note(body="a"))
    assert count(notes_db) == 1


async def test_mixed_async_unit_hands_out_the_repository_at_async_itself(notes_db, flags, checker):
    units = units_at(notes_db, flags, checker, "async", "repositories.new_notes")  # old_notes at sync
    async with units.aio() as repos:
        assert type(repos.new_notes).__name__ == "NewNotes"
        assert type(repos.old_notes).__name__ != "OldNotes"  # reached through its sync session in a greenlet
        await repos.new_notes.add(Note(body="new"))
        await repos.old_notes.add(Note(body="old"))
    assert count(notes_db) == 2


async def test_shadow_repository_read_is_checked_in_its_own_rolled_back_session(notes_db, flags, checker):
    units = units_at(notes_db, flags, checker, "shadow", "repositories")
    async with units.aio() as repos:
        await repos.old_notes.add(Note(body="committed"))
    async with units.aio() as repos:
        assert await repos.old_notes.list_bodies() == ["committed"]
    await checker.drain()
    statuses = [(r.method, r.status) for r in checker.recorder.comparisons]
    assert statuses == [("list_bodies", "match")]  # the write was not run twice
    assert count(notes_db) == 1


@pytest.mark.parametrize("caller", ["sync", "async"])
async def test_the_served_answer_is_compared_as_it_was_returned_whatever_the_caller_does_after(
    notes_db, flags, checker, caller
):
    units = units_at(notes_db, flags, checker, "shadow", "repositories")
    async with units.aio() as repos:
        await repos.old_notes.add(Note(body="committed"))

    def read_then_change() -> None:
        with units.sync() as repos:
            notes = repos.old_notes.list_notes()
        notes[0].body = "changed by the caller"  # after the unit: the check has not run yet

    if caller == "sync":
        await bridge.call_async(read_then_change)
    else:
        async with units.aio() as repos:
            notes = await repos.old_notes.list_notes()
        notes[0].body = "changed by the caller"
    await checker.drain()
    assert [(r.method, r.status) for r in checker.recorder.comparisons] == [("list_notes", "match")]


class OldDeclaredNotes(OldNotes):
    read_methods = frozenset({"bodies"})

    def bodies(self):
        return self.list_bodies()


class NewDeclaredNotes(NewNotes):
    read_methods = frozenset({"bodies"})

    async def bodies(self):
        return await self.list_bodies()


async def test_repositories_reads_are_what_their_classes_declare(notes_db, flags, checker):
    store, set_stage = flags
    set_stage("shadow", target="repositories")
    units = DualUnits(notes_db, {"notes": (OldDeclaredNotes, NewDeclaredNotes)}, store=store, checker=checker)
    async with units.aio() as repos:
        await repos.notes.add(Note(body="committed"))
    async with units.aio() as repos:
        assert await repos.notes.bodies() == ["committed"]
        assert await repos.notes.list_bodies() == ["committed"]  # not declared: a write, whatever its name
    async with units.aio() as repos:
        assert await repos.notes.bodies() == ["committed"]
    await checker.drain()
    assert [(r.method, r.status) for r in checker.recorder.comparisons] == [("bodies", "match")]


class OldCounter:
    def __init__(self):
        self.text = "so far"

    def get_text(self):
        return self.text


class NewCounter(OldCounter):
    """The async twin of a service whose read does no I/O: the codemod leaves that method sync."""


@pytest.mark.parametrize("stage", ["sync", "shadow", "live", "async"])
async def test_a_method_left_sync_on_the_new_side_is_served_and_checked_as_it_is(flags, checker, stage):
    store, set_stage = flags
    set_stage(stage)
    dual = DualService("greeter", OldCounter(), NewCounter(), store=store, checker=checker)
    assert await dual.aio.get_text() == "so far"
    assert await bridge.call_async(dual.sync.get_text) == "so far"
    await checker.drain()
    assert {run.status for run in checker.recorder.comparisons} <= {"match"}
    assert len(checker.recorder.comparisons) == (2 if stage in ("shadow", "live") else 0)
