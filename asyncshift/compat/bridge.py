"""Call async code from sync code, and sync code from async code, on the right loop and thread.

``to_sync(async_fn)`` returns a blocking callable; ``to_async(sync_fn)`` an awaitable one. Each call
picks its mechanism from where it is made (first match wins):

to_sync, from ...
  1. sync code in a greenlet on a loop (``to_async(..., blocking=False)`` or SQLAlchemy's
     ``greenlet_spawn``): ``await_only`` switches to the loop, no thread hop (~1 µs);
  2. a thread whose event loop is running: ``BridgeDeadlockError``, blocking it would hang;
  3. a worker thread of ``to_async(blocking=True)``: back to the loop that awaits that worker;
  4. any other thread while an application loop is registered (``register_loop``, e.g. at ASGI
     startup): a task on that loop, waited for on a lock (``Handoff``);
  5. otherwise (CLI, scripts): the bridge's one shared loop. The calling thread runs it itself
     when nobody else is (as cheap as a reused ``asyncio.Runner``); when calls overlap, or tasks
     outlive a call, a daemon thread runs it (~4x slower: a thread hop each way). Always the same
     loop, so pooled async engines keep working; re-created after fork, closed at exit.

to_async, with ...
  * ``blocking=True`` (default): a worker thread of the bridge's own pool (``configure`` or
    ``ASYNCSHIFT_BRIDGE_THREADS`` sets its size; never anyio's limiter shared with FastAPI; a
    ``ThreadPool``). For
    code that really blocks: sync SQLAlchemy, psycopg, requests, file I/O.
  * ``blocking=False``: a greenlet on the loop's own thread. For sync code that only waits through
    bridged async calls (a sync service on async repositories): cheaper and no thread, but any
    real blocking in it stalls the whole loop.

Context variables flow in; exceptions come out as the same object; cancelling the awaiting task
cancels the coroutine (a worker thread already running is left to finish, its result dropped).
Never ``nest_asyncio``, never a new loop per call.

Both hand a call across with one loop wake-up and no future chain (``Handoff``, ``ThreadPool``,
also what ``compat.web``'s WSGI runner uses): ``run_coroutine_threadsafe`` and
``run_in_executor`` pair a ``concurrent.futures`` future (a ``threading.Condition``, callbacks,
state copies) with an asyncio one, about 30 Python calls more per crossing, paid by every bridged
call of the legacy path behind the strangler (issue 18).
"""

from __future__ import annotations

import _thread
import asyncio
import atexit
import contextlib
import contextvars
import functools
import os
import queue
import threading
import types
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.util import await_only, greenlet_spawn
from sqlalchemy.util.concurrency import in_greenlet

__all__ = [
    "BridgeDeadlockError",
    "BridgeError",
    "Handoff",
    "ThreadPool",
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
_executor: ThreadPool | None = None
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
        old.close()


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


# --- handing a call between a loop and threads ----------------------------------------------------


def _settle(future: asyncio.Future, result: Any, error: BaseException | None) -> None:
    """On the loop: the thread's outcome into ``future``, unless its awaiter has gone."""
    if future.done():
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)


class ThreadPool:
    """Up to ``max_workers`` threads running calls that an event loop awaits: the loop awaits a
    plain asyncio future that the thread settles with one ``call_soon_threadsafe``. Threads start
    as calls need them; further calls wait their turn in arrival order (backpressure). A call
    whose future was cancelled before a thread took it does not run."""

    def __init__(self, max_workers: int, name: str = "asyncshift-pool") -> None:
        if max_workers < 1:
            raise ValueError(f"a ThreadPool needs at least one thread, got {max_workers}")
        self.max_workers = max_workers
        self.name = name
        self._jobs: queue.SimpleQueue[tuple | None] = queue.SimpleQueue()
        # One token per thread waiting (or about to wait) for a job. ``list.append`` and ``pop``
        # are atomic, so submitters and threads share it without a lock. A job queued while all
        # threads are busy leaves one token too many once a thread takes it; that only happens at
        # the limit, where no thread would be started anyway.
        self._idle: list[None] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()  # starting a thread, closing
        self._closed = False
        # the threads hold the queue, not the pool: a pool nobody closed ends them when collected
        self._stop = weakref.finalize(self, _stop_threads, self._jobs, self._threads)

    def run(self, loop: asyncio.AbstractEventLoop, fn: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """A future of ``fn(*args)`` run in a pool thread, settled on ``loop``. ``fn`` runs in the
        thread's own context: pass ``contextvars.copy_context().run, fn, ...`` for the caller's."""
        if self._closed:
            raise RuntimeError(f"{self.name}: the pool was closed")
        future = loop.create_future()
        self._jobs.put((loop, future, fn, args))
        try:
            self._idle.pop()
        except IndexError:
            if len(self._threads) < self.max_workers:
                self._start_thread()
        return future

    def _start_thread(self) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{self.name}: the pool was closed")
            if len(self._threads) >= self.max_workers:
                return  # the job waits for a thread to be free
            thread = threading.Thread(
                target=_work, args=(self._jobs, self._idle), name=f"{self.name}_{len(self._threads)}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def close(self) -> None:
        """Let each thread end once the calls queued before now are done; later calls fail."""
        with self._lock:
            self._closed = True
        self._stop()


def _stop_threads(jobs: queue.SimpleQueue, threads: list[threading.Thread]) -> None:
    for _ in range(len(threads)):
        jobs.put(None)


def _work(jobs: queue.SimpleQueue, idle: list[None]) -> None:
    """A ``ThreadPool`` thread: run each job, settle its future on its loop, until told to stop."""
    while True:
        job = jobs.get()
        if job is None:  # closed
            return
        loop, future, fn, args = job
        job = None
        if not future.cancelled():  # its awaiter is gone: do not run it
            result = error = None
            try:
                result = fn(*args)
            except BaseException as exc:
                error = exc
            try:
                loop.call_soon_threadsafe(_settle, future, result, error)
            except RuntimeError:  # the loop has closed: nobody awaits this any more
                pass
            result = error = None
        loop = future = fn = args = None
        idle.append(None)


class Handoff:
    """A coroutine run as a task on ``loop`` for a thread that waits for it on a lock; interrupting
    the wait (KeyboardInterrupt, a timeout) cancels the task.

    ``started`` runs on the loop first (the shared loop counts what it was handed); the task
    runs in ``context`` (default: a copy of the caller's).
    """

    __slots__ = ("loop", "coroutine", "context", "started", "task", "lock", "result", "error", "abandoned")

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        awaitable: Awaitable[T],
        *,
        context: contextvars.Context | None = None,
        started: Callable[[], None] | None = None,
    ) -> None:
        self.loop = loop
        self.coroutine = awaitable if type(awaitable) is types.CoroutineType else _as_coroutine(awaitable)
        self.context = contextvars.copy_context() if context is None else context
        self.started = started
        self.task: asyncio.Task | None = None
        self.lock = _thread.allocate_lock()
        self.lock.acquire()  # released when the outcome is in
        self.result: Any = None
        self.error: BaseException | None = None
        self.abandoned = False
        try:
            loop.call_soon_threadsafe(self._start)
        except BaseException:  # the loop has closed
            self.coroutine.close()
            raise

    def _start(self) -> None:
        if self.started is not None:
            self.started()
        coroutine, self.coroutine = self.coroutine, None
        if self.abandoned:
            coroutine.close()
            return
        try:
            self.task = self.loop.create_task(coroutine, context=self.context)
        except BaseException as exc:
            self.error = exc
            self.lock.release()
            raise
        self.task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        try:
            self.result = task.result()
        except BaseException as exc:  # incl. CancelledError: the caller sees what the task raised
            self.error = exc
        self.lock.release()

    def wait(self, timeout: float | None = None) -> Any:
        """The coroutine's result (or its exception). Interrupted (KeyboardInterrupt) or out of
        time: the task is cancelled and the waiter raises."""
        try:
            if not self.lock.acquire(timeout=-1 if timeout is None else timeout):
                raise TimeoutError(f"the coroutine did not finish within {timeout} s")
        except BaseException:
            self.abandoned = True
            with contextlib.suppress(RuntimeError):  # the loop has closed: the task has gone
                self.loop.call_soon_threadsafe(self._cancel)
            raise
        error = self.error
        if error is None:
            return self.result
        self.error = None
        try:
            raise error
        finally:
            error = None

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


def _as_coroutine(awaitable: Awaitable[T]) -> Coroutine[Any, Any, T]:
    """A coroutine of any awaitable (a task wants one)."""
    if type(awaitable) is types.CoroutineType or asyncio.iscoroutine(awaitable):
        return awaitable  # type: ignore[return-value]
    return _await(awaitable)


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
        return Handoff(loop, args[0] if fn is _identity else fn(*args, **kwargs)).wait()
    loop = _registered
    if loop is None:
        return _get_shared().run(fn(*args, **kwargs))
    if not loop.is_running():
        _close_refused(fn, args)
        raise BridgeError(
            f"to_sync({_name(fn)}): the registered event loop is not running; "
            f"call compat.bridge.unregister_loop() when it stops"
        )
    return Handoff(loop, args[0] if fn is _identity else fn(*args, **kwargs)).wait()


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
            return Handoff(self.loop, coro, started=self._started).wait()
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
                Handoff(self.loop, _cancel_other_tasks()).wait(timeout=2)
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


def _get_executor() -> tuple[ThreadPool, int]:
    global _executor, _executor_limit
    executor = _executor
    if executor is None:
        with _state_lock:
            if _executor is None:
                _executor_limit = max_workers()
                _executor = ThreadPool(_executor_limit, name="asyncshift-bridge-worker")
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
    return executor.run(loop, ctx.run, _worker_call, loop, depth, fn, args, kwargs)


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
        executor.close()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(_at_exit)
