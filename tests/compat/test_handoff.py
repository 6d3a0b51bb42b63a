"""The bridge's handoffs (``ThreadPool``, ``Handoff``): calls handed between a loop and threads keep
their results, errors, context and cancellation, at a few Python calls per crossing instead of a
``concurrent.futures`` chain."""

from __future__ import annotations

import asyncio
import contextvars
import sys
import threading
import time

import pytest

from compat import bridge
from compat.bridge import Handoff, ThreadPool

who: contextvars.ContextVar[str] = contextvars.ContextVar("who", default="nobody")


class Boom(Exception):
    pass


@pytest.fixture
def loop_thread():
    """A loop running in its own thread, as a server's would."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


async def test_a_pool_call_runs_in_a_pool_thread_and_its_error_is_the_same_object() -> None:
    pool = ThreadPool(2, name="test-pool")
    loop = asyncio.get_running_loop()
    name = await pool.run(loop, lambda: threading.current_thread().name)
    assert name.startswith("test-pool_")
    error = Boom("from the thread")

    def fail() -> None:
        raise error

    with pytest.raises(Boom) as raised:
        await pool.run(loop, fail)
    assert raised.value is error
    pool.close()


async def test_a_pool_call_sees_the_context_it_is_given() -> None:
    pool = ThreadPool(1)
    who.set("caller")
    loop = asyncio.get_running_loop()
    assert await pool.run(loop, who.get) == "nobody"  # the thread's own context
    assert await pool.run(loop, contextvars.copy_context().run, who.get) == "caller"
    pool.close()


async def test_a_pool_runs_at_most_its_limit_at_once_in_arrival_order() -> None:
    pool = ThreadPool(2)
    lock = threading.Lock()
    running, peak, order = 0, 0, []

    def work(n: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            order.append(n)
        time.sleep(0.02)
        with lock:
            running -= 1
        return n

    loop = asyncio.get_running_loop()
    assert await asyncio.gather(*(pool.run(loop, work, n) for n in range(8))) == list(range(8))
    assert peak == 2
    assert order[2:] == list(range(2, 8))  # the ones that waited went in the order they came
    pool.close()


async def test_a_call_cancelled_before_a_thread_took_it_never_runs() -> None:
    pool = ThreadPool(1)
    loop = asyncio.get_running_loop()
    release = threading.Event()
    ran = []
    first = pool.run(loop, release.wait, 5)
    second = pool.run(loop, ran.append, "second")
    second.cancel()  # its client went away while it waited for the one thread
    release.set()
    await first
    await pool.run(loop, ran.append, "third")
    assert ran == ["third"]
    pool.close()


async def test_a_closed_pool_finishes_what_was_queued_and_refuses_new_calls() -> None:
    pool = ThreadPool(1)
    loop = asyncio.get_running_loop()
    queued = [pool.run(loop, time.sleep, 0.01), pool.run(loop, lambda: "queued")]
    pool.close()
    assert (await asyncio.gather(*queued))[1] == "queued"
    with pytest.raises(RuntimeError, match="closed"):
        pool.run(loop, lambda: None)


def test_a_handoff_returns_the_result_in_the_callers_context(loop_thread) -> None:
    async def read() -> tuple[str, bool]:
        return who.get(), threading.current_thread() is not threading.main_thread()

    who.set("waiting thread")
    assert Handoff(loop_thread, read()).wait() == ("waiting thread", True)


def test_a_handoff_raises_the_coroutines_exception(loop_thread) -> None:
    error = Boom("from the loop")

    async def fail() -> None:
        await asyncio.sleep(0)
        raise error

    with pytest.raises(Boom) as raised:
        Handoff(loop_thread, fail()).wait()
    assert raised.value is error


def test_a_wait_that_gives_up_cancels_the_task(loop_thread) -> None:
    cancelled = threading.Event()

    async def slow() -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    with pytest.raises(TimeoutError):
        Handoff(loop_thread, slow()).wait(timeout=0.05)
    assert cancelled.wait(5)


class CallCounter:
    """Python calls in this thread and every thread started after it, while ``active``."""

    def __init__(self) -> None:
        self.calls, self.active = 0, False
        threading.setprofile(self.profile)
        sys.setprofile(self.profile)  # this thread too: the test's loop may run in it

    def profile(self, frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "call" and self.active:
            self.calls += 1

    def close(self) -> None:
        threading.setprofile(None)  # type: ignore[arg-type]
        sys.setprofile(None)


def test_a_crossing_to_the_registered_loop_costs_a_few_python_calls() -> None:
    """What the legacy path pays per bridged call (issue 18): with ``run_coroutine_threadsafe``
    and a ``concurrent.futures`` future it was about 80 Python calls, in both threads (50 now, 35 of them the
    pure-Python event loop's own: uvloop does those in C)."""
    counter = CallCounter()
    loop = asyncio.new_event_loop()
    loop_runner = threading.Thread(target=loop.run_forever, daemon=True)
    loop_runner.start()
    bridge.register_loop(loop)
    per_call = []

    async def answer() -> int:
        return 42

    def crossings() -> None:
        for _ in range(5):  # warm-up
            bridge.run_sync(answer())
        counter.active = True
        for _ in range(100):
            bridge.run_sync(answer())
        counter.active = False
        per_call.append(counter.calls / 100)

    try:
        caller = threading.Thread(target=crossings)
        caller.start()
        caller.join(30)
    finally:
        counter.close()
        bridge.unregister_loop()
        loop.call_soon_threadsafe(loop.stop)
        loop_runner.join(5)
        loop.close()
    assert per_call and per_call[0] < 60, per_call


async def test_a_pool_call_costs_a_few_python_calls() -> None:
    """What the legacy path pays per request to run the WSGI app in a thread (issue 18): with
    ``run_in_executor`` it was about 50 Python calls, in both threads."""
    counter = CallCounter()
    pool = ThreadPool(2)
    loop = asyncio.get_running_loop()
    try:
        for _ in range(5):  # warm-up: the threads start
            await pool.run(loop, int)
        counter.active = True
        for _ in range(100):
            await pool.run(loop, int)
        counter.active = False
    finally:
        counter.close()
        pool.close()
    assert counter.calls / 100 < 45, counter.calls / 100
