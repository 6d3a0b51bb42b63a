"""Writers to one SQLite file take turns in arrival order, and a turn is never kept by accident."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, text

from compat import sqlite_writers
from compat.db import Database
from compat.sqlite_writers import HELD, WriterLine

metadata = MetaData()
rows = Table("rows", metadata, Column("id", Integer, primary_key=True), Column("who", String(40)))


def _wait_until(condition, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.001)


def test_waiting_threads_get_the_turn_in_the_order_they_came():
    line = WriterLine()
    first = line.acquire(1)
    order: list[int] = []

    def writer(n: int) -> None:
        token = line.acquire(5)
        order.append(n)
        line.release(token)

    threads = []
    for n in range(8):
        thread = threading.Thread(target=writer, args=(n,))
        thread.start()
        threads.append(thread)
        _wait_until(lambda n=n: len(line._waiters) == n + 1)  # each in line before the next comes
    line.release(first)
    for thread in threads:
        thread.join(5)
    assert order == list(range(8))


def test_a_wait_that_times_out_leaves_the_line_and_goes_ahead_without_a_turn():
    line = WriterLine(clock=lambda: 0.0)  # the holder got the turn just now (turns passed while waiting)
    holder = line.acquire(1)
    assert line.acquire(0.05) == 0
    assert not line._waiters
    line.release(holder)
    assert line.acquire(0.05)  # free again


def test_a_turn_kept_a_whole_timeout_is_presumed_lost_and_the_line_moves_on():
    now = [0.0]
    line = WriterLine(clock=lambda: now[0])
    lost = line.acquire(1)  # a connection that vanished without being returned
    now[0] = 10.0
    taken = line.acquire(0.01)
    assert taken and taken != lost
    line.release(lost)  # the lost holder coming back late changes nothing
    assert line.acquire(0.01) == 0  # the new holder still has it
    line.release(taken)
    assert line.acquire(0.01)


async def test_a_task_waits_without_blocking_the_loop_and_a_thread_hands_it_the_turn():
    line = WriterLine()
    holder = line.acquire(1)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.005)

    beat = asyncio.create_task(ticker())
    waiting = asyncio.create_task(line.acquire_async(5))
    await asyncio.sleep(0.1)
    assert not waiting.done() and ticks > 5
    threading.Timer(0.01, line.release, args=(holder,)).start()
    token = await asyncio.wait_for(waiting, 5)
    beat.cancel()
    assert token and token != holder
    line.release(token)


async def test_a_task_cancelled_as_the_turn_came_passes_it_on():
    line = WriterLine()
    holder = line.acquire(1)
    cancelled = asyncio.create_task(line.acquire_async(5))
    await asyncio.sleep(0.01)
    line.release(holder)  # handed to the task, which is cancelled before it runs
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert await line.acquire_async(0.1)  # free, not held by the cancelled task


@pytest.fixture
def file_db(tmp_path):
    database = Database.from_url(f"sqlite:///{tmp_path / 'writers.db'}")
    metadata.create_all(database.sync_engine)
    yield database
    database.dispose()


def _line(database: Database) -> WriterLine:
    return sqlite_writers.line_for(str(database.url.database))


def test_a_unit_of_work_gives_its_turn_back_when_it_commits_or_fails(file_db):
    line = _line(file_db)
    with file_db.unit_of_work() as session:
        session.execute(insert(rows).values(who="kept"))
        assert line._holder
    assert not line._holder
    with pytest.raises(RuntimeError), file_db.unit_of_work() as session:
        session.execute(insert(rows).values(who="lost"))
        raise RuntimeError("boom")
    assert not line._holder
    with file_db.unit_of_work(read_only=True):  # a reader does not queue
        assert not line._holder


def test_a_connection_returned_without_ending_its_transaction_gives_the_turn_back(file_db):
    line = _line(file_db)
    connection = file_db.sync_engine.connect()
    transaction = connection.begin()
    assert connection.info[HELD][0] is line
    connection.invalidate()  # a broken connection: no commit, no rollback event
    assert not line._holder
    transaction.rollback()
    connection.close()


async def test_sync_and_async_writers_share_the_line_and_every_write_lands(file_db):
    line = _line(file_db)
    start = threading.Barrier(9)
    failures: list[BaseException] = []

    def sync_writer(n: int) -> None:
        start.wait()
        try:
            for i in range(15):
                with file_db.unit_of_work() as session:
                    session.execute(insert(rows).values(who=f"sync {n} {i}"))
                    time.sleep(0.001)  # work while holding the write lock
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    async def async_writer(n: int) -> None:
        for i in range(15):
            async with file_db.async_unit_of_work() as session:
                await session.execute(insert(rows).values(who=f"async {n} {i}"))
                await asyncio.sleep(0.001)

    threads = [threading.Thread(target=sync_writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    await asyncio.to_thread(start.wait)
    await asyncio.gather(*(async_writer(n) for n in range(8)))
    for thread in threads:
        await asyncio.to_thread(thread.join, 30)
    assert not failures
    with file_db.sync_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(rows)).scalar_one() == 16 * 15
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    assert not line._holder and not line._waiters
    await file_db.adispose()
