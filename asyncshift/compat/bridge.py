"""Call async code from sync code, and sync code from async code, on the right loop and thread.

``to_sync(async_fn)`` returns a blocking callable; ``to_async(sync_fn)`` an awaitable one. Each call
picks its mechanism from where it is made (first match wins):

to_sync, from ...
  1. sync code in a greenlet on a loop (``to_async(..., blocking=False)`` or SQLAlchemy's
     ``greenlet_spawn``): ``await_only`` switches to the loop, no thread hop (~1 µs);
  2. a thread whose event loop is running: ``BridgeDeadlockError``, blocking it would hang;
  3. a worker thread of ``to_async(blocking=True)``: back to the loop that awaits that worker;
  4. any other thread while an application loop is registered (``register_loop``, e.g. at ASGI
     startup): ``run_coroutine_threadsafe`` to that loop, and wait;
  5. otherwise (CLI, scripts): the bridge's one shared loop. The calling thread runs it itself
     when nobody else is (as cheap as a reused ``asyncio.Runner``); when calls overlap, or tasks
     outlive a call, a daemon thread runs it (~4x slower: a thread hop each way). Always the same
     loop, so pooled async engines keep working; re-created after fork, closed at exit.

to_async, with ...
  * ``blocking=True`` (default): a worker thread of the bridge's own pool (``configure`` or
    ``ASYNCSHIFT_BRIDGE_THREADS`` sets its size; never anyio's limiter shared with FastAPI). For
    code that really blocks: sync SQLAlchemy, psycopg, requests, file I/O.
  * ``blocking=False``: a greenlet on the loop's own thread. For sync code that only waits through
    bridged async calls (a sync service on async repositories): cheaper and no thread, but any
    real blocking in it stalls the whole loop.

Context variables flow in; exceptions come out as the same object; cancelling the awaiting task
cancels the coroutine (a worker thread already running is left to finish, its result dropped).
Never ``nest_asyncio``, never a new loop per call.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import contextvars
import functools
import os
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.util import await_only, greenlet_spawn
from sqlalchemy.util.concurrency import in_greenlet

__all__ = [
    "BridgeDeadlockError",
    "BridgeError",
    "call_async",
    "configure",
    "in_worker",
    "max_workers",
    "register_loop",
    "registered_loop",
    "run_sync",
    "shared_loop",
    "to_async",
    "to_sync",
    "unregister_loop",
]

P = ParamSpec("P")
T = TypeVar("T")

THREADS_ENV = "ASYNCSHIFT_BRIDGE_THREADS"


class BridgeError(RuntimeError):
    """The bridge cannot make this call; the message says why and what to do."""


class BridgeDeadlockError(BridgeError):
    """The call would wait for something that can only happen after it returns."""


# the loop that awaits the current worker thread, so to_sync inside it goes back there
_origin_loop: contextvars.ContextVar[asyncio.AbstractEventLoop | None] = contextvars.ContextVar(
    "asyncshift_bridge_origin_loop", default=None
)
# how many blocking workers this call chain already holds (nested to_async -> to_sync -> ...)
_worker_depth: contextvars.ContextVar[int] = contextvars.ContextVar("asyncshift_bridge_depth", default=0)

_state_lock = threading.Lock()
_registered: asyncio.AbstractEventLoop | None = None
_shared: _SharedLoop | None = None
_executor: concurrent.futures.ThreadPoolExecutor | None = None
_executor_limit = 0
_max_workers: int | None = None
_forked_away: list[asyncio.AbstractEventLoop] = []  # parents' loops: never closed in a child


# --- public API ---------------------------------------------------------------------------------


def to_sync(async_fn: Callable[P, Awaitable[T]]) -> Callable[P, T]:
    """A blocking callable that runs ``async_fn`` on the right loop for the caller (see module doc)."""

    @functools.wraps(async_fn)
    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        return _run_blocking(async_fn, args, kwargs)

    return call


def to_async(sync_fn: Callable[P, T], *, blocking: bool = True) -> Callable[P, Coroutine[Any, Any, T]]:
    """An async callable running ``sync_fn`` in a worker thread (``blocking=True``) or in a greenlet
    on the loop (``blocking=False``, only for code that waits through ``to_sync`` calls)."""

    if blocking:

        @functools.wraps(sync_fn)
        async def call(*args: P.args, **kwargs: P.kwargs) -> T:
            return await _in_worker_thread(sync_fn, args, kwargs)

    else:

        @functools.wraps(sync_fn)
        async def call(*args: P.args, **kwargs: P.kwargs) -> T:
            return await greenlet_spawn(sync_fn, *args, **kwargs)

    return call


def run_sync(aw_or_fn: Awaitable[T] | Callable[..., Awaitable[T]], /, *args: Any, **kwargs: Any) -> T:
    """Run an awaitable, or ``aw_or_fn(*args, **kwargs)``, to completion from sync code."""
    if callable(aw_or_fn) and not asyncio.isfuture(aw_or_fn):
        return _run_blocking(aw_or_fn, args, kwargs)
    if args or kwargs:
        raise TypeError("run_sync(awaitable) takes no further arguments")
    return _run_blocking(_identity, (aw_or_fn,), {})


async def call_async(sync_fn: Callable[..., T], /, *args: Any, blocking: bool = True, **kwargs: Any) -> T:
    """Await ``sync_fn(*args, **kwargs)`` from async code; ``blocking`` as in ``to_async``."""
    if blocking:
        return await _in_worker_thread(sync_fn, args, kwargs)
    return await greenlet_spawn(sync_fn, *args, **kwargs)


def register_loop(loop: asyncio.AbstractEventLoop | None = None) -> asyncio.AbstractEventLoop:
    """Make ``loop`` (default: the running one) where foreign threads' ``to_sync`` calls run.

    Call it at application startup (ASGI lifespan) so Flask views under a2wsgi and scheduler
    threads use the loop that owns the application's async engines and clients.
    """
    global _registered
    _registered = loop if loop is not None else asyncio.get_running_loop()
    return _registered


def unregister_loop() -> None:
    """Forget the registered loop (at shutdown); later foreign calls use the shared loop."""
    global _registered
    _registered = None


def registered_loop() -> asyncio.AbstractEventLoop | None:
    return _registered


def in_worker() -> bool:
    """Whether this call runs in a bridge worker thread (``to_async(..., blocking=True)``): code
    there ends what it began before it returns, as nothing else will reach that thread's state."""
    return _worker_depth.get() > 0


def shared_loop() -> asyncio.AbstractEventLoop:
    """The bridge's process-wide loop for callers with no loop (created on first use)."""
    return _get_shared().loop


def configure(*, max_workers: int | None = None) -> None:
    """Set the worker-thread limit of ``to_async(blocking=True)`` (None: env or the default).

    Calls already running keep their threads; new calls use a pool of the new size.
    """
    global _executor, _max_workers
    if max_workers is not None and (not isinstance(max_workers, int) or max_workers < 1):
        raise ValueError(f"max_workers must be a positive integer, got {max_workers!r}")
    with _state_lock:
        old, _executor, _max_workers = _executor, None, max_workers
    if old is not None:
        old.shutdown(wait=False)


def max_workers() -> int:
    """The worker-thread limit in force."""
    if _max_workers is not None:
        return _max_workers
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return min(32, (os.cpu_count() or 1) + 4)
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise BridgeError(f"{THREADS_ENV}={raw!r} is not a positive integer; set it to e.g. 16, or unset it")
    return value


# --- sync -> async ------------------------------------------------------------------------------


def _identity(awaitable: Awaitable[T]) -> Awaitable[T]:
    return awaitable


def _run_blocking(fn: Callable[..., Awaitable[T]], args: tuple, kwargs: dict) -> T:
    """Pick the mechanism (see module doc) and wait for ``fn(*args, **kwargs)``."""
    if in_greenlet():
        return await_only(fn(*args, **kwargs))
    if asyncio._get_running_loop() is not None:
        _close_refused(fn, args)
        raise BridgeDeadlockError(
            f"to_sync({_name(fn)}) called from the event loop thread; await it instead "
            f"or wrap the caller with to_async(...)"
        )
    loop = _origin_loop.get()
    if loop is not None and loop.is_running():  # a bridge worker: the loop awaiting it can serve it
        return _wait(_submit(loop, fn(*args, **kwargs)))
    loop = _registered
    if loop is None:
        return _get_shared().run(fn(*args, **kwargs))
    if not loop.is_running():
        _close_refused(fn, args)
        raise BridgeError(
            f"to_sync({_name(fn)}): the registered event loop is not running; "
            f"call compat.bridge.unregister_loop() when it stops"
        )
    return _wait(_submit(loop, fn(*args, **kwargs)))


def _submit(
    loop: asyncio.AbstractEventLoop, awaitable: Awaitable[T], started: Callable[[], None] | None = None
) -> concurrent.futures.Future[T]:
    """Start ``awaitable`` on ``loop`` from another thread, in a copy of the caller's context.

    Like ``asyncio.run_coroutine_threadsafe``, which cannot pass the caller's context; cancelling
    the returned future cancels the task.
    """
    done: concurrent.futures.Future[T] = concurrent.futures.Future()
    ctx = contextvars.copy_context()

    def start() -> None:
        if started is not None:
            started()
        if done.cancelled():
            _close_if_coroutine(awaitable)
            return
        try:
            task = loop.create_task(_as_coroutine(awaitable), context=ctx)
        except BaseException as exc:
            if done.set_running_or_notify_cancel():
                done.set_exception(exc)
            raise
        task.add_done_callback(functools.partial(_settle, done))
        done.add_done_callback(lambda f: f.cancelled() and loop.call_soon_threadsafe(task.cancel))

    loop.call_soon_threadsafe(start)
    return done


def _wait(done: concurrent.futures.Future[T]) -> T:
    """The result; if the waiting thread is interrupted (KeyboardInterrupt), cancel the task."""
    try:
        return done.result()
    except BaseException:
        done.cancel()
        raise


def _settle(done: concurrent.futures.Future, task: asyncio.Future) -> None:
    if not done.set_running_or_notify_cancel():
        return
    try:
        done.set_result(task.result())
    except BaseException as exc:  # incl. CancelledError: the caller sees what the task raised
        done.set_exception(exc)


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


def _as_coroutine(awaitable: Awaitable[T]) -> Coroutine[Any, Any, T]:
    return awaitable if asyncio.iscoroutine(awaitable) else _await(awaitable)


def _close_if_coroutine(awaitable: object) -> None:
    """Close a coroutine we will not run, so Python does not warn that it was never awaited."""
    if asyncio.iscoroutine(awaitable):
        awaitable.close()


def _close_refused(fn: Callable, args: tuple) -> None:
    if fn is _identity:  # run_sync(coroutine): the coroutine is ours to close
        _close_if_coroutine(args[0])


def _name(fn: Callable) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)


class _SharedLoop:
    """One process-wide loop, run by whichever thread needs it.

    A caller that finds the loop idle runs it in its own thread until its coroutine is done (the
    fast path: no thread hop, like a reused ``asyncio.Runner``). Callers that come meanwhile wait
    for it to leave; it then hands the loop to the daemon thread, which serves all calls (via
    ``call_soon_threadsafe``) until no work remains. Tasks a caller leaves running also go to the
    daemon, once none of them is inside a greenlet (greenlets cannot change threads).
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.loop.set_task_factory(self._task_factory)
        self._mutex = threading.Lock()
        self._wake = threading.Condition(self._mutex)
        self._driver: str | None = None  # None, "caller" or "daemon"
        self._pending = 0  # submitted from other threads, task not created yet
        self._live = 0  # tasks not done yet
        self._thread: threading.Thread | None = None
        self._closed = False

    def run(self, coro: Awaitable[T]) -> T:
        with self._mutex:
            drive = self._driver is None and not self._closed
            if drive:
                self._driver = "caller"
            else:
                # Never join another caller's run of the loop: a task must finish on the thread it
                # started on (SQLAlchemy's greenlets cannot switch threads). That caller hands the
                # loop to the daemon as it leaves, because this call is pending.
                self._pending += 1
                try:
                    while self._driver == "caller":
                        self._wake.wait()
                except BaseException:  # interrupted while waiting: this call never starts
                    self._pending -= 1
                    self._stop_daemon_when_idle()
                    raise
                if self._closed:
                    self._pending -= 1
                    _close_if_coroutine(coro)
                    raise BridgeError("the bridge's shared loop was closed at interpreter exit")
        if not drive:
            return _wait(_submit(self.loop, coro, started=self._started))
        try:
            # not through the task factory: this task is awaited right here, no need to count it
            task = asyncio.Task(_as_coroutine(coro), loop=self.loop)
            try:
                return self.loop.run_until_complete(task)
            finally:
                if task.done():
                    self._finish_greenlet_work()
                else:  # the loop was interrupted (KeyboardInterrupt): the task goes too
                    task.cancel()
        finally:
            with self._mutex:
                if self._pending or self._live:
                    self._hand_to_daemon()
                else:
                    self._driver = None

    def _finish_greenlet_work(self) -> None:
        """Run on while a task left behind is suspended inside a greenlet: greenlets belong to
        this thread, so the daemon could not resume it."""
        while self._live:
            stuck = [task for task in asyncio.all_tasks(self.loop) if _inside_greenlet(task)]
            if not stuck:
                return
            self.loop.run_until_complete(asyncio.wait(stuck, timeout=0.005))

    def _task_factory(self, loop: asyncio.AbstractEventLoop, coro: Coroutine, **kwargs: Any) -> asyncio.Task:
        task = asyncio.Task(coro, loop=loop, **kwargs)
        self._live += 1
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, _task: asyncio.Task) -> None:
        with self._mutex:
            self._live -= 1
            self._stop_daemon_when_idle()

    def _started(self) -> None:
        with self._mutex:
            self._pending -= 1
            self._stop_daemon_when_idle()

    def _stop_daemon_when_idle(self) -> None:
        if self._driver == "daemon" and not self._pending and not self._live:
            self.loop.stop()

    def _hand_to_daemon(self) -> None:
        self._driver = "daemon"
        if self._thread is None:
            self._thread = threading.Thread(target=self._daemon, name="asyncshift-bridge-loop", daemon=True)
            self._thread.start()
        self._wake.notify_all()

    def _daemon(self) -> None:
        while True:
            with self._mutex:
                while self._driver != "daemon":
                    if self._closed:
                        return
                    self._wake.wait()
            self.loop.run_forever()
            with self._mutex:
                if not (self._pending or self._live):
                    self._driver = None

    def close(self) -> None:
        """Cancel the tasks left running (on the thread running them), then close the loop."""
        with self._mutex:
            self._closed = True  # new and waiting calls now raise BridgeError
            driver, thread = self._driver, self._thread
            self._wake.notify_all()
        if driver == "caller":
            return  # a daemon thread is inside a call at exit: leave its loop alone
        if driver == "daemon" and thread is not None:
            with contextlib.suppress(BaseException):
                _submit(self.loop, _cancel_other_tasks()).result(timeout=2)
            thread.join(timeout=2)  # the daemon stops once no task is left
        with self._mutex:
            if self._driver is not None or self.loop.is_running():
                return
            self._driver = "closing"
        try:
            self.loop.run_until_complete(_cancel_other_tasks())
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
        finally:
            self.loop.close()


async def _cancel_other_tasks() -> None:
    others = asyncio.all_tasks() - {asyncio.current_task()}
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


def _inside_greenlet(task: asyncio.Task) -> bool:
    """Whether ``task`` waits inside SQLAlchemy's ``greenlet_spawn`` (its await chain shows it)."""
    awaiting: Any = task.get_coro()
    while awaiting is not None:
        if getattr(awaiting, "cr_code", None) is greenlet_spawn.__code__:
            return True
        awaiting = getattr(awaiting, "cr_await", None)
    return False


def _get_shared() -> _SharedLoop:
    global _shared
    shared = _shared
    if shared is None:
        with _state_lock:
            if _shared is None:
                _shared = _SharedLoop()
            shared = _shared
    return shared


# --- async -> sync ------------------------------------------------------------------------------


def _get_executor() -> tuple[concurrent.futures.ThreadPoolExecutor, int]:
    global _executor, _executor_limit
    executor = _executor
    if executor is None:
        with _state_lock:
            if _executor is None:
                _executor_limit = max_workers()
                _executor = concurrent.futures.ThreadPoolExecutor(
                    max_workers=_executor_limit, thread_name_prefix="asyncshift-bridge-worker"
                )
            executor = _executor
    return executor, _executor_limit


def _in_worker_thread(fn: Callable[..., T], args: tuple, kwargs: dict) -> asyncio.Future[T]:
    """Run ``fn`` in a bridge worker, in a copy of the caller's context that remembers the loop."""
    loop = asyncio.get_running_loop()
    executor, limit = _get_executor()
    depth = _worker_depth.get()
    if depth >= limit:
        raise BridgeDeadlockError(
            f"to_async({_name(fn)}) nested {depth} deep in blocking workers, and all "
            f"{limit} bridge threads wait on this call; use to_async(..., blocking=False) "
            f"for sync code that only calls async code, or raise configure(max_workers=...)"
        )
    ctx = contextvars.copy_context()
    return loop.run_in_executor(executor, ctx.run, _worker_call, loop, depth, fn, args, kwargs)


def _worker_call(loop: asyncio.AbstractEventLoop, depth: int, fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
    _origin_loop.set(loop)
    _worker_depth.set(depth + 1)
    return fn(*args, **kwargs)


# --- process lifecycle --------------------------------------------------------------------------


def _after_fork_in_child() -> None:
    """The parent's threads are gone: start afresh. The parent's loop is kept, not closed:
    closing it would unregister file descriptors from an epoll set the parent still uses."""
    global _state_lock, _shared, _executor, _registered
    _state_lock = threading.Lock()
    if _shared is not None:
        _forked_away.append(_shared.loop)
    _shared = None
    _executor = None
    _registered = None


def _at_exit() -> None:
    global _shared, _executor
    shared, _shared = _shared, None
    executor, _executor = _executor, None
    if shared is not None:
        shared.close()
    if executor is not None:
        executor.shutdown(wait=False, cancel_futures=True)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(_at_exit)
