"""Writers to one SQLite file take turns in the order they came, in this process.

SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps and
retries (1, 2, 5, ... then 100 ms between tries) until ``busy_timeout``. Under steady load the
write lock is nearly always held, so a waiter that wakes every 100 ms nearly always finds it
taken: with 50 clients writing, some waited the full ten seconds and failed with "database is
locked" while others were served in milliseconds. Here a write transaction first waits for its
turn in a first-come, first-served line shared by the sync and the async engine of the file, and
is woken the moment the writer before it ends; SQLite's own wait then only covers other processes.

The line is a courtesy, never a new way to fail: a writer that cannot get its turn within the
busy timeout goes ahead and lets SQLite decide, as before (so a transaction that holds its turn
and waits on another, through a bridge, costs what it did without the line, never a deadlock).
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import threading
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

try:  # SQLAlchemy 2.1
    from sqlalchemy.util.concurrency import await_
except ImportError:  # SQLAlchemy 2.0
    from sqlalchemy.util.concurrency import await_only as await_

HELD = "asyncshift_writer_turn"  # in a pooled connection's info: (line, token) of the turn it holds


class _ThreadWaiter:
    token = 0  # set when the turn is handed to it

    def __init__(self) -> None:
        self._event = threading.Event()

    def wake(self) -> None:
        self._event.set()

    def wait(self, timeout: float) -> bool:
        return self._event.wait(timeout)


class _TaskWaiter:
    token = 0

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._future: asyncio.Future[None] = self._loop.create_future()

    def wake(self) -> None:
        self._loop.call_soon_threadsafe(self._settle)  # RuntimeError when its loop has closed

    def _settle(self) -> None:
        if not self._future.done():
            self._future.set_result(None)

    async def wait(self, timeout: float) -> bool:
        try:
            await asyncio.wait_for(asyncio.shield(self._future), timeout)
        except TimeoutError:
            return False
        return True


class WriterLine:
    """A first-come, first-served turn, handed from one holder straight to the next waiter.

    Each turn has a token; ``release`` with a token that no longer holds the turn does nothing. A
    turn held for a whole timeout while others wait is presumed lost (a connection that vanished
    without being returned): the waiter that timed out takes a new turn, and the line moves on."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._mutex = threading.Lock()
        self._waiters: collections.deque[Any] = collections.deque()
        self._holder = 0  # the token holding the turn; 0: free
        self._since = 0.0
        self._tokens = itertools.count(1)
        self._clock = clock

    def acquire(self, timeout: float) -> int:
        """Wait (blocking this thread) for the turn: its token, or 0 when ``timeout`` passed."""
        token, waiter = self._join(_ThreadWaiter)
        if waiter is None or waiter.wait(timeout):
            return token or waiter.token
        return self._timed_out(waiter, timeout)

    async def acquire_async(self, timeout: float) -> int:
        """``acquire`` for a task: waits without blocking the event loop."""
        token, waiter = self._join(_TaskWaiter)
        if waiter is None:
            return token
        try:
            if await waiter.wait(timeout):
                return waiter.token
        except BaseException:  # cancelled: leave the line, or pass on a turn handed over meanwhile
            self.release(self._timed_out(waiter, float("inf")))
            raise
        return self._timed_out(waiter, timeout)

    def release(self, token: int) -> None:
        """End the turn ``token`` holds: hand it to the first waiter, or free it."""
        with self._mutex:
            if token and token == self._holder:
                self._pass_on()

    def _join(self, make_waiter: Any) -> tuple[int, Any]:
        with self._mutex:
            if not self._holder:
                return self._give(), None
            waiter = make_waiter()
            self._waiters.append(waiter)
            return 0, waiter

    def _give(self) -> int:
        self._holder = next(self._tokens)
        self._since = self._clock()
        return self._holder

    def _pass_on(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            waiter.token = self._give()
            try:
                waiter.wake()
                return
            except RuntimeError:  # a task whose event loop has closed: nobody to take it
                continue
        self._holder = 0

    def _timed_out(self, waiter: Any, timeout: float) -> int:
        """A wait ended without a wake: the token if the turn came meanwhile, a new turn if the
        holder kept it a whole ``timeout`` (presumed lost), else 0 (go ahead without a turn)."""
        with self._mutex:
            if waiter.token:
                return waiter.token
            self._waiters.remove(waiter)
            if self._clock() - self._since >= timeout:
                return self._give()
            return 0


_lines: dict[str, WriterLine] = {}
_lines_mutex = threading.Lock()


def line_for(path: str) -> WriterLine:
    """The one line of a database file in this process (its sync and async engines share it)."""
    with _lines_mutex:
        return _lines.setdefault(path, WriterLine())


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def wait_turn(line: WriterLine, info: dict[str, Any], timeout: float, asynchronous: bool) -> None:
    """Before a write transaction's BEGIN IMMEDIATE: wait for the turn and note it in ``info``.

    The async engine's events run in SQLAlchemy's greenlet on the event loop, where the wait is
    awaited. A sync engine used on an event loop's thread skips the line: blocking there could
    stall the holder it waits for."""
    if HELD in info:  # a connection that kept its turn (it is released when the connection is)
        return
    if asynchronous:
        token = await_(line.acquire_async(timeout))
    elif _on_event_loop():
        return
    else:
        token = line.acquire(timeout)
    if token:
        info[HELD] = (line, token)


def end_turn(info: dict[str, Any]) -> None:
    held = info.pop(HELD, None)
    if held is not None:
        line, token = held
        line.release(token)


def install(engine: Engine, path: str) -> WriterLine:
    """The line of the file at ``path``, with ``engine``'s turns released when a transaction or
    its connection ends, however it ends (the engine's ``begin`` takes them, with ``wait_turn``)."""
    line = line_for(path)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _ended(connection: Any) -> None:
        if not connection.invalidated:  # an invalidated one has given its turn back already
            end_turn(connection.info)

    @event.listens_for(engine.pool, "checkin")
    @event.listens_for(engine.pool, "invalidate")
    @event.listens_for(engine.pool, "close")
    def _returned(_dbapi_connection: Any, record: Any, *_: Any) -> None:
        if record is not None:
            end_turn(record.info)

    return line
