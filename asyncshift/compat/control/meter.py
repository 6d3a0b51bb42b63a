"""The new path's calls and failures per target, counted in this process: what auto-rollback reads at ``async``.

At ``async`` nothing runs beside the new path, so no side-by-side record shows its errors. The
application wraps its new implementations with a ``ServedMeter`` where it builds them, and the
``compat.control.autorollback`` watcher reads the error rate from it.
"""

from __future__ import annotations

import collections
import functools
import inspect
import time
from collections.abc import Callable
from typing import Any


class ServedMeter:
    """Counts the new path's calls and exceptions per target, over a sliding window.

    Wrap the new implementation with ``meter.wrap(target, impl)`` (or its class with
    ``meter.wrap_factory``). ``expected`` exceptions (a domain's "not found") are answers, not
    failures, and are counted as calls.
    """

    def __init__(self, *, expected: tuple[type[BaseException], ...] = (), keep: int = 10_000) -> None:
        self.expected = expected
        self._events: dict[str, collections.deque[tuple[float, bool]]] = {}
        self._keep = keep

    def count(self, target: str, failed: bool) -> None:
        events = self._events.get(target)
        if events is None:
            events = self._events.setdefault(target, collections.deque(maxlen=self._keep))
        events.append((time.monotonic(), failed))

    def figures(self, target: str, window: float) -> tuple[int, int]:
        """``(calls, failures)`` of ``target`` and the targets under it, in the last ``window`` seconds."""
        start = time.monotonic() - window
        calls = failures = 0
        for name, events in list(self._events.items()):
            if name == target or name.startswith(target + "."):
                for at, failed in list(events):
                    if at >= start:
                        calls += 1
                        failures += failed
        return calls, failures

    def wrap(self, target: str, impl: Any) -> Any:
        """A proxy of ``impl`` whose methods count their calls and failures under ``target``."""
        return _Metered(self, target, impl)

    def wrap_factory(self, target: str, factory: Callable[..., Any]) -> Callable[..., Any]:
        """``factory(*args)`` (a repository class taking a session) whose instances are metered.

        A class gets a subclass, made once, whose public methods count: nothing is added per
        instance, and ``isinstance`` and class attributes still work."""
        if isinstance(factory, type):
            return metered_class(self, target, factory)
        return lambda *args, **kwargs: self.wrap(target, factory(*args, **kwargs))


def _counting(meter: ServedMeter, target: str, attribute: Callable[..., Any]) -> Callable[..., Any]:
    """``attribute`` (a function or a bound method) counting its calls and failures under ``target``."""
    if inspect.iscoroutinefunction(attribute):

        @functools.wraps(attribute)
        async def call(*args: Any, **kwargs: Any) -> Any:
            try:
                value = await attribute(*args, **kwargs)
            except meter.expected:
                meter.count(target, False)
                raise
            except Exception:
                meter.count(target, True)
                raise
            meter.count(target, False)
            return value

        return call

    @functools.wraps(attribute)
    def sync_call(*args: Any, **kwargs: Any) -> Any:
        try:
            value = attribute(*args, **kwargs)
        except meter.expected:
            meter.count(target, False)
            raise
        except Exception:
            meter.count(target, True)
            raise
        meter.count(target, False)
        return value

    return sync_call


def metered_class(meter: ServedMeter, target: str, cls: type) -> type:
    """A subclass of ``cls`` whose public methods (plain functions on the class) are metered."""
    namespace: dict[str, Any] = {"__module__": cls.__module__, "__qualname__": cls.__qualname__, "__doc__": cls.__doc__}
    for name in dir(cls):
        if name.startswith("_"):
            continue
        attribute = inspect.getattr_static(cls, name)
        if inspect.isfunction(attribute):
            namespace[name] = _counting(meter, target, attribute)
    return type(cls.__name__, (cls,), namespace)


class _Metered:
    def __init__(self, meter: ServedMeter, target: str, impl: Any) -> None:
        self._meter, self._target, self._impl = meter, target, impl

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._impl, name)
        if not callable(attribute):
            return attribute
        call = _counting(self._meter, self._target, attribute)
        self.__dict__[name] = call
        return call
