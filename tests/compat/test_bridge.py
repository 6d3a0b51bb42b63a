"""compat.bridge: each mechanism where it belongs, values and errors through, no deadlocks."""

from __future__ import annotations

import asyncio
import contextvars
import os
import subprocess
import sys
import textwrap
import threading
import time
import traceback

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.util import greenlet_spawn
from sqlalchemy.util.concurrency import in_greenlet

from compat import bridge
from compat.bridge import (
    BridgeDeadlockError,
    BridgeError,
    call_async,
    configure,
    register_loop,
    run_sync,
    shared_loop,
    to_async,
    to_sync,
    unregister_loop,
)

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class Boom(Exception):
    pass


@pytest.fixture(autouse=True)
def _clean_bridge():
    yield
    unregister_loop()
    configure(max_workers=None)


async def where() -> tuple[asyncio.AbstractEventLoop, int, bool]:
    """The loop and thread a coroutine runs on, and whether it was called from a greenlet."""
    return asyncio.get_running_loop(), threading.get_ident(), in_greenlet()


async def add(a: int, b: int) -> int:
    await asyncio.sleep(0)
    return a + b


async def fail() -> None:
    await asyncio.sleep(0)
    raise Boom("from async")


def fail_sync() -> None:
    raise Boom("from sync")


async def read_request_id() -> str:
    return request_id.get()


@pytest.fixture
def app_loop():
    """An application loop running in its own thread, as uvicorn's would, registered."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    register_loop(loop)
    yield loop, thread
    unregister_loop()
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def in_thread(fn, *args):
    """Run fn in a plain thread and return what it returned (or raise what it raised)."""
    out: dict = {}

    def run() -> None:
        try:
            out["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "call hung"
    if "error" in out:
        raise out["error"]
    return out["value"]


# --- results and mechanism per caller -------------------------------------------------------------


def test_to_sync_returns_the_coroutine_result() -> None:
    assert to_sync(add)(2, b=3) == 5


def test_to_sync_without_a_loop_runs_the_shared_loop_in_the_calling_thread() -> None:
    loop, thread_id, greenlet = to_sync(where)()
    assert loop is shared_loop()
    assert thread_id == threading.get_ident()
    assert not greenlet


def test_shared_loop_is_reused_across_calls_and_threads() -> None:
    loops = {to_sync(where)()[0] for _ in range(3)}
    loops |= {in_thread(to_sync(where))[0] for _ in range(3)}
    assert loops == {shared_loop()}


def test_overlapping_calls_from_many_threads_all_complete_on_the_shared_loop() -> None:
    async def slow_where():
        await asyncio.sleep(0.01)
        return asyncio.get_running_loop()

    results: list = []
    threads = [
        threading.Thread(target=lambda: results.extend(to_sync(slow_where)() for _ in range(20))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert len(results) == 80
    assert set(results) == {shared_loop()}


def test_a_call_arriving_while_another_thread_runs_the_loop_waits_for_the_daemon() -> None:
    a_running = threading.Event()

    async def a_call() -> None:
        a_running.set()
        await asyncio.sleep(0.1)

    async def b_call() -> str:
        # suspended inside a greenlet: it could not survive being resumed by another thread
        await greenlet_spawn(lambda: to_sync(asyncio.sleep)(0.01))
        return threading.current_thread().name

    a = threading.Thread(target=to_sync(a_call))
    a.start()
    assert a_running.wait(5)
    assert to_sync(b_call)() == "asyncshift-bridge-loop"
    a.join(5)


def test_task_left_running_by_a_call_keeps_running_on_the_daemon_thread() -> None:
    finished = threading.Event()
    ran_on: list[str] = []

    async def background() -> None:
        await asyncio.sleep(0.05)
        ran_on.append(threading.current_thread().name)
        finished.set()

    async def start_and_return() -> None:
        asyncio.get_running_loop().create_task(background())

    to_sync(start_and_return)()
    assert finished.wait(5)
    assert ran_on == ["asyncshift-bridge-loop"]
    deadline = time.monotonic() + 2  # once idle, the daemon lets callers run the loop again
    while to_sync(where)()[1] != threading.get_ident():
        assert time.monotonic() < deadline, "the daemon kept the loop"
        time.sleep(0.01)


def test_task_left_inside_a_greenlet_finishes_on_its_own_thread() -> None:
    finished = threading.Event()
    outcome: list[object] = []

    async def background() -> None:
        try:
            await greenlet_spawn(lambda: to_sync(asyncio.sleep)(0.05))
            outcome.append("ok")
        except BaseException as exc:  # noqa: BLE001
            outcome.append(exc)
        finally:
            finished.set()

    async def start_and_return() -> None:
        asyncio.get_running_loop().create_task(background())
        await asyncio.sleep(0.01)  # now suspended inside the greenlet

    to_sync(start_and_return)()
    assert finished.wait(5)
    assert outcome == ["ok"]


def test_registered_loop_serves_calls_from_foreign_threads(app_loop) -> None:
    loop, thread = app_loop
    ran_loop, ran_thread, _ = to_sync(where)()
    assert ran_loop is loop
    assert ran_thread == thread.ident


async def test_registered_running_loop_serves_a_wsgi_style_thread() -> None:
    register_loop()
    loop, _, _ = await asyncio.to_thread(to_sync(where))
    assert loop is asyncio.get_running_loop()


async def test_worker_thread_calls_go_back_to_the_loop_awaiting_them() -> None:
    loop, thread_id, _ = await to_async(to_sync(where))()
    assert loop is asyncio.get_running_loop()
    assert thread_id == threading.get_ident()


async def test_to_async_blocking_runs_in_a_bridge_worker_thread() -> None:
    name = await to_async(lambda: threading.current_thread().name)()
    assert name.startswith("asyncshift-bridge-worker")


async def test_to_async_non_blocking_runs_in_a_greenlet_on_the_loop_thread() -> None:
    def probe() -> tuple[int, bool]:
        return threading.get_ident(), in_greenlet()

    assert await to_async(probe, blocking=False)() == (threading.get_ident(), True)


async def test_to_sync_in_a_greenlet_awaits_on_the_same_loop_and_thread() -> None:
    loop, thread_id, _ = await to_async(to_sync(where), blocking=False)()
    assert loop is asyncio.get_running_loop()
    assert thread_id == threading.get_ident()


async def test_to_sync_inside_sqlalchemy_greenlet_spawn_awaits_directly() -> None:
    assert await greenlet_spawn(to_sync(add), 4, 5) == 9


def test_run_sync_accepts_a_coroutine_or_a_function() -> None:
    assert run_sync(add(1, 2)) == 3
    assert run_sync(add, 3, b=4) == 7


async def test_call_async_runs_sync_code_in_either_mode() -> None:
    assert await call_async(sum, [1, 2, 3]) == 6
    assert await call_async(sum, [1, 2], blocking=False) == 3


# --- deadlocks ------------------------------------------------------------------------------------


async def test_to_sync_on_the_loop_thread_raises_deadlock_error() -> None:
    with pytest.raises(BridgeDeadlockError, match=r"to_sync\(add\) called from the event loop thread; await it"):
        to_sync(add)(1, 2)


def test_to_sync_inside_a_coroutine_run_by_to_sync_raises_instead_of_hanging() -> None:
    async def outer() -> int:
        return to_sync(add)(1, 2)

    with pytest.raises(BridgeDeadlockError):
        to_sync(outer)()


async def test_run_sync_refusing_a_coroutine_closes_it() -> None:
    coro = add(1, 2)
    with pytest.raises(BridgeDeadlockError):
        run_sync(coro)
    assert coro.cr_frame is None  # closed: no "never awaited" warning


def test_registered_loop_that_stopped_raises_a_clear_error() -> None:
    loop = asyncio.new_event_loop()
    register_loop(loop)
    try:
        with pytest.raises(BridgeError, match="registered event loop is not running"):
            to_sync(add)(1, 2)
    finally:
        loop.close()


async def test_nested_blocking_workers_beyond_the_thread_limit_raise_deadlock_error() -> None:
    configure(max_workers=1)

    async def inner() -> int:
        return await to_async(lambda: 1)()

    with pytest.raises(BridgeDeadlockError, match="nested 1 deep"):
        await to_async(to_sync(inner))()


# --- exceptions, context, cancellation ---------------------------------------------------------------


def raised_from(exc: BaseException, function: str) -> bool:
    return any(frame.name == function for frame in traceback.extract_tb(exc.__traceback__))


def test_to_sync_raises_the_coroutines_exception_with_its_traceback() -> None:
    with pytest.raises(Boom, match="from async") as info:
        to_sync(fail)()
    assert raised_from(info.value, "fail")


def test_to_sync_via_registered_loop_raises_the_coroutines_exception(app_loop) -> None:
    with pytest.raises(Boom, match="from async") as info:
        to_sync(fail)()
    assert raised_from(info.value, "fail")


@pytest.mark.parametrize("blocking", [True, False])
async def test_to_async_raises_the_functions_exception_with_its_traceback(blocking: bool) -> None:
    with pytest.raises(Boom, match="from sync") as info:
        await to_async(fail_sync, blocking=blocking)()
    assert raised_from(info.value, "fail_sync")


async def test_greenlet_to_sync_raises_the_coroutines_exception_into_sync_code() -> None:
    caught: list[BaseException] = []

    def service() -> None:
        try:
            to_sync(fail)()
        except Boom as exc:
            caught.append(exc)

    await to_async(service, blocking=False)()
    assert caught and raised_from(caught[0], "fail")


def test_contextvars_flow_into_the_shared_loop_and_do_not_leak_back() -> None:
    async def set_and_read() -> str:
        seen = request_id.get()
        request_id.set("changed")
        return seen

    token = request_id.set("req-1")
    try:
        assert to_sync(set_and_read)() == "req-1"
        assert in_thread(contextvars.copy_context().run, to_sync(read_request_id)) == "req-1"
        assert request_id.get() == "req-1"
    finally:
        request_id.reset(token)


def test_contextvars_flow_into_the_registered_loop(app_loop) -> None:
    token = request_id.set("req-2")
    try:
        assert to_sync(read_request_id)() == "req-2"
    finally:
        request_id.reset(token)


@pytest.mark.parametrize("blocking", [True, False])
async def test_contextvars_flow_into_sync_code(blocking: bool) -> None:
    token = request_id.set("req-3")
    try:
        assert await to_async(request_id.get, blocking=blocking)() == "req-3"
        assert await to_async(to_sync(read_request_id), blocking=blocking)() == "req-3"
    finally:
        request_id.reset(token)


async def test_cancelling_the_awaiting_task_cancels_the_greenlet_wait() -> None:
    seen: list[BaseException] = []

    def service() -> None:
        try:
            to_sync(asyncio.sleep)(10)
        except BaseException as exc:
            seen.append(exc)
            raise

    task = asyncio.ensure_future(to_async(service, blocking=False)())
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert seen and isinstance(seen[0], asyncio.CancelledError)


async def test_cancelling_the_awaiting_task_returns_without_waiting_for_the_worker() -> None:
    task = asyncio.ensure_future(to_async(time.sleep)(0.5))
    await asyncio.sleep(0.01)
    started = time.perf_counter()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.perf_counter() - started < 0.25


def test_cancelled_coroutine_on_the_registered_loop_raises_cancelled_error_in_the_caller(app_loop) -> None:
    async def cancelled() -> None:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        to_sync(cancelled)()


# --- nesting, thread limit -------------------------------------------------------------------------


@pytest.mark.parametrize("blocking", [True, False])
def test_nested_to_async_to_sync_to_async_works(blocking: bool) -> None:
    def leaf(x: int) -> int:
        return x * 2

    async def inner(x: int) -> int:
        return await to_async(leaf, blocking=blocking)(x) + 1

    def middle(x: int) -> int:
        return to_sync(inner)(x) + 1

    async def outer(x: int) -> int:
        return await to_async(middle, blocking=blocking)(x) + 1

    assert to_sync(outer)(10) == 23


async def test_thread_limit_is_respected() -> None:
    configure(max_workers=2)
    running = 0
    peak = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.03)
        with lock:
            running -= 1

    await asyncio.gather(*(to_async(work)() for _ in range(6)))
    assert peak == 2


def test_thread_limit_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(bridge.THREADS_ENV, "3")
    configure(max_workers=None)
    assert bridge.max_workers() == 3
    monkeypatch.setenv(bridge.THREADS_ENV, "many")
    with pytest.raises(BridgeError, match="ASYNCSHIFT_BRIDGE_THREADS='many' is not a positive integer"):
        bridge.max_workers()


def test_configure_rejects_a_non_positive_limit() -> None:
    with pytest.raises(ValueError, match="positive integer"):
        configure(max_workers=0)


# --- process lifecycle ----------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_shared_loop_is_recreated_after_fork_and_the_parent_keeps_its_own() -> None:
    parent_loop = to_sync(where)()[0]
    assert to_sync(call_async)(sum, [1, 2]) == 3  # the parent has worker threads too
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report, then leave without running pytest's teardown
        try:
            child_loop = to_sync(where)()[0]
            ok = (
                child_loop is not parent_loop
                and child_loop is shared_loop()
                and to_sync(add)(20, 1) == 21
                and to_sync(call_async)(sum, [20, 2]) == 22
            )
            os.write(write_fd, b"ok" if ok else b"bad")
        finally:
            os._exit(0)
    os.close(write_fd)
    report = os.read(read_fd, 16)
    os.close(read_fd)
    os.waitpid(pid, 0)
    assert report == b"ok"
    assert to_sync(where)()[0] is parent_loop
    assert to_sync(add)(1, 2) == 3


def test_interpreter_exit_cancels_leftover_tasks_and_closes_the_loop() -> None:
    script = textwrap.dedent(
        """
        import asyncio, atexit, threading
        loops = []
        atexit.register(lambda: print("closed", loops[0].is_closed(), flush=True))  # runs after the bridge's

        from compat.bridge import to_sync, shared_loop

        async def forever():
            try:
                await asyncio.sleep(3600)
            finally:
                print("cancelled on", threading.current_thread().name, flush=True)

        async def start():
            asyncio.get_running_loop().create_task(forever())

        to_sync(start)()
        loops.append(shared_loop())
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "error::ResourceWarning", "-c", script], capture_output=True, text=True, timeout=20
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["cancelled", "on", "asyncshift-bridge-loop", "closed", "True"]
    assert "Task was destroyed" not in done.stderr


# --- a pooled async engine --------------------------------------------------------------------------


@pytest.mark.parametrize("loop_owner", ["shared loop", "registered app loop"])
def test_async_engine_used_via_to_sync_from_several_threads_keeps_one_loop(tmp_path, request, loop_owner) -> None:
    if loop_owner == "registered app loop":
        request.getfixturevalue("app_loop")
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'bridge.db'}", pool_size=2, max_overflow=0)

    async def setup() -> None:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE hits (n INTEGER)"))

    async def hit(n: int) -> int:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO hits VALUES (:n)"), {"n": n})
            return (await conn.execute(text("SELECT count(*) FROM hits"))).scalar_one()

    to_sync(setup)()
    errors: list[BaseException] = []

    def client(base: int) -> None:
        try:
            for i in range(15):
                to_sync(hit)(base + i)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(k * 100,)) for k in range(4)]
    for thread in threads:
        thread.start()
    client(1000)
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert to_sync(hit)(-1) == 76
    to_sync(engine.dispose)()


def test_interpreter_exit_closes_an_idle_shared_loop() -> None:
    script = textwrap.dedent(
        """
        import atexit
        loops = []
        atexit.register(lambda: print("closed", loops[0].is_closed(), flush=True))

        from compat.bridge import run_sync, shared_loop
        import asyncio
        run_sync(asyncio.sleep(0))
        loops.append(shared_loop())
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "error::ResourceWarning", "-c", script], capture_output=True, text=True, timeout=20
    )
    assert (done.returncode, done.stdout.split()) == (0, ["closed", "True"]), done.stderr
