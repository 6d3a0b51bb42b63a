"""Dual services: one service, an old (sync) and a new (async) implementation, behind a sync facade
and an async one that route each call by the target's stage at call time.

At ``sync``/``async`` one side serves (bridged when the caller's colour differs); at
``shadow``/``live`` the other side also runs as the checking side, off the caller's path, and
``compat.shadow`` compares and records the two. While a call runs, ``routing.reading`` says
whether it only reads, so the units of work it opens may be read-only ones.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from compat import bridge
from compat.dual.routing import METERED, NEW, OLD, Routing, declared_reads, kept, reading, settle
from compat.flags import FlagStore, Stage
from compat.shadow import Checker, Outcome, normalise, timed_await, timed_call


class DualService:
    """One service, two implementations: ``old`` (sync methods) and ``new`` (async methods).

    ``.sync`` is the facade for sync callers, ``.aio`` for async ones; both route each call by
    the stage of ``target`` at call time. With ``shadow_writes="rollback"``, ``sandbox(side)``
    must give a context manager yielding that side's implementation on a unit that is rolled back.
    ``reads`` overrides what the implementations declare (``declared_reads``).
    """

    def __init__(
        self,
        target: str,
        old: Any,
        new: Any,
        *,
        store: FlagStore | None = None,
        checker: Checker | None = None,
        reads: Callable[[str], bool] | None = None,
        shadow_writes: str = "skip",
    ) -> None:
        reads = reads or declared_reads(old, new)
        self.routing = Routing(target, store=store, checker=checker, reads=reads, shadow_writes=shadow_writes)
        self.old = old
        self.new = new
        self.sync = _SyncServiceFacade(self)
        self.aio = _AsyncServiceFacade(self)

    def _check(self, stage: Stage, method: str, served_side: str, served: Outcome, args: tuple, kwargs: dict) -> None:
        """Hand the checker the served side's outcome and the checking side's run (and, for a read
        with ``noise`` on, the served side's run once more)."""
        routing = self.routing
        checker = routing.checker
        assert checker is not None
        ignore = routing.ignore()
        run_new: Callable[[], Any] = lambda: _awaitable_normalised(getattr(self.new, method), args, kwargs, ignore)  # noqa: E731
        run_old: Callable[[], Any] = lambda: normalise(getattr(self.old, method)(*args, **kwargs), ignore)  # noqa: E731
        checking, checking_is_async = (run_new, True) if served_side == OLD else (run_old, False)
        again = (run_old, False) if served_side == OLD else (run_new, True)  # the served side once more: noise
        learn = checker.noise is not None and routing.reads(method)
        checker.check(
            target=routing.target,
            method=method,
            stage=stage.value,
            served_side=served_side,
            served=kept(served),
            checking=checking,
            checking_is_async=checking_is_async,
            served_again=again[0] if learn else None,
            served_again_is_async=again[1],
            arguments=(args, kwargs),
        )


async def _awaitable_normalised(fn: Callable[..., Any], args: tuple, kwargs: dict, ignore: tuple[str, ...]) -> Any:
    return normalise(await _settled(fn(*args, **kwargs)), ignore)


async def _settled(value: Any) -> Any:
    """What a new-side call gives: awaited when it is awaitable. A method the codemod left sync (it does
    no I/O) stays sync on the new side too, and awaiting its value would raise TypeError."""
    return await value if inspect.isawaitable(value) else value


def _direct(fn: Any) -> tuple[Callable[..., Any], Any, str] | bool | None:
    """How the async facade calls a new-side method ``fn`` with no frame of its own in between:
    ``(function, meter, target)`` when ``compat.control.meter`` wraps a coroutine function ``function``
    in ``fn`` (its ``METERED`` attribute): the facade calls ``function`` and counts it under
    ``target`` as the wrapper would; True for any other coroutine function (awaited as it is); None
    for anything else (called, then awaited if what it gives is awaitable)."""
    metered = getattr(fn, METERED, None)
    if metered is not None and not inspect.ismethod(fn):  # a metered class's method counts itself
        return metered
    return True if inspect.iscoroutinefunction(fn) else None


def _run_sync(value: Any) -> Any:
    return bridge.run_sync(value) if inspect.isawaitable(value) else value


class _SyncServiceFacade:
    """Sync call style of a ``DualService``: ``service.sync.method(...)``."""

    def __init__(self, dual: DualService) -> None:
        self._dual = dual

    def __getattr__(self, method: str) -> Callable[..., Any]:
        dual = self._dual
        getattr(dual.old, method)  # AttributeError now, for a method the service does not have
        routing = dual.routing
        reads = routing.reads(method)

        store, target = routing.store, routing.target

        def call(*args: Any, **kwargs: Any) -> Any:
            stage = store.stage(target)
            token = reading.set(reads)
            try:
                if not stage.runs_both or not routing.should_check(stage, method):
                    if stage.serves_new:
                        return _run_sync(getattr(dual.new, method)(*args, **kwargs))
                    return getattr(dual.old, method)(*args, **kwargs)
                if stage.serves_new:
                    served_side, serve = NEW, lambda: _run_sync(getattr(dual.new, method)(*args, **kwargs))
                else:
                    served_side, serve = OLD, lambda: getattr(dual.old, method)(*args, **kwargs)
                outcome = timed_call(serve)
                dual._check(stage, method, served_side, outcome, args, kwargs)
            finally:
                reading.reset(token)
            return settle(outcome)

        call.__name__ = method
        self.__dict__[method] = call
        return call


class _AsyncServiceFacade:
    """Async call style of a ``DualService``: ``await service.aio.method(...)``."""

    def __init__(self, dual: DualService) -> None:
        self._dual = dual

    def __getattr__(self, method: str) -> Callable[..., Any]:
        dual = self._dual
        getattr(dual.new, method)
        routing = dual.routing
        reads = routing.reads(method)

        store, target = routing.store, routing.target

        seen: list[Any] = [None, None]  # the new side's attribute last seen, and how to call it

        async def call(*args: Any, **kwargs: Any) -> Any:
            stage = store.stage(target)
            token = reading.set(reads)
            try:
                if not stage.runs_both or not routing.should_check(stage, method):
                    if stage.serves_new:
                        # the hot path at ``async``, written out: no frame but this one between the
                        # caller and the new method, on the call and on every resumption (issue 18)
                        fn = getattr(dual.new, method)
                        key = getattr(fn, "__func__", fn)  # a bound method is made anew each time
                        if key is not seen[0]:
                            seen[:] = key, _direct(fn)
                        direct = seen[1]
                        if direct is None:
                            value = fn(*args, **kwargs)
                            return await value if inspect.isawaitable(value) else value
                        if direct is True:
                            return await fn(*args, **kwargs)
                        raw, meter, metered = direct
                        try:
                            value = await raw(*args, **kwargs)
                        except meter.expected:
                            meter.count(metered, False)
                            raise
                        except Exception:
                            meter.count(metered, True)
                            raise
                        meter.count(metered, False)
                        return value
                    return await bridge.call_async(getattr(dual.old, method), *args, **kwargs)
                if stage.serves_new:
                    served_side, serve = NEW, lambda: _settled(getattr(dual.new, method)(*args, **kwargs))
                else:
                    served_side, serve = OLD, lambda: bridge.call_async(getattr(dual.old, method), *args, **kwargs)
                outcome = await timed_await(serve)
                dual._check(stage, method, served_side, outcome, args, kwargs)
            finally:
                reading.reset(token)
            return settle(outcome)

        call.__name__ = method
        self.__dict__[method] = call
        return call
