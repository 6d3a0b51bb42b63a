"""The new path's calls and failures per target, counted in this process: what auto-rollback reads at ``async``.

At ``async`` nothing runs beside the new path, so no side-by-side record shows its errors. The
application wraps its new implementations with a ``ServedMeter`` where it builds them, and the
``compat.control.autorollback`` watcher reads the error rate from it.

What counts as the new path's failure, so that no client can roll a migration back:

- an ``expected`` exception (a domain's "not found") is an answer, not a failure;
- a call made for a request (``meter.request(caller)``, opened by the web layer around each
  request) whose answer turned out to be a client error (``settle(mark, status)`` with a status
  below 500) is an answer too: bad input is never the new path's fault;
- every call is counted with its *caller* (the client's address; calls made outside any request,
  by scheduled jobs or commands, are the process's own work). ``figures`` sets aside the one
  client with the most failures before it counts, so a burst from one client is never enough:
  a fault of the new path shows up for other callers too.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import functools
import inspect
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

OWN_WORK = ""  # the caller of calls made outside any request: jobs, commands


class _Event:
    __slots__ = ("at", "caller", "failed")

    def __init__(self, at: float, failed: bool, caller: str) -> None:
        self.at, self.failed, self.caller = at, failed, caller


@dataclass
class RequestMark:
    """One request's calls: who made it, and the failures to forgive if it ends as a client error."""

    caller: str
    failures: list[_Event] = field(default_factory=list)


_current: contextvars.ContextVar[RequestMark | None] = contextvars.ContextVar("asyncshift_meter_request", default=None)


@dataclass(frozen=True)
class Figures:
    """A target's calls and failures in a window, the loudest client set aside (``set_aside``)."""

    calls: int
    failures: int
    set_aside: str | None = None  # the client whose calls were left out, if any
    set_aside_failures: int = 0

    @property
    def rate(self) -> float:
        return self.failures / self.calls if self.calls else 0.0


class ServedMeter:
    """Counts the new path's calls and exceptions per target and caller, over a sliding window.

    Wrap the new implementation with ``meter.wrap(target, impl)`` (or its class with
    ``meter.wrap_factory``). ``expected`` exceptions (a domain's "not found") are answers, not
    failures, and are counted as calls.
    """

    def __init__(self, *, expected: tuple[type[BaseException], ...] = (), keep: int = 10_000) -> None:
        self.expected = expected
        self._events: dict[str, collections.deque[_Event]] = {}
        self._keep = keep

    def count(self, target: str, failed: bool) -> None:
        events = self._events.get(target)
        if events is None:
            events = self._events.setdefault(target, collections.deque(maxlen=self._keep))
        mark = _current.get()
        event = _Event(time.monotonic(), failed, mark.caller if mark is not None else OWN_WORK)
        if failed and mark is not None:
            mark.failures.append(event)
        events.append(event)

    @contextlib.contextmanager
    def request(self, caller: str) -> Iterator[RequestMark]:
        """The calls made inside belong to one request from ``caller``; ``settle`` it with its status."""
        mark = RequestMark(caller or "(unknown client)")
        token = _current.set(mark)
        try:
            yield mark
        finally:
            _current.reset(token)

    @staticmethod
    def settle(mark: RequestMark, status: int) -> None:
        """The request ended with ``status``: below 500 its failures were the client's, not the new path's."""
        if status < 500:
            for event in mark.failures:
                event.failed = False
        mark.failures.clear()

    def figures(self, target: str, window: float) -> Figures:
        """Calls and failures of ``target`` and the targets under it in the last ``window`` seconds,
        without the client that failed most (the process's own work is never set aside)."""
        start = time.monotonic() - window
        calls: collections.Counter[str] = collections.Counter()
        failures: collections.Counter[str] = collections.Counter()
        for name, events in list(self._events.items()):
            if name == target or name.startswith(target + "."):
                for event in list(events):
                    if event.at >= start:
                        calls[event.caller] += 1
                        failures[event.caller] += event.failed
        clients = [(n, caller) for caller, n in failures.items() if caller != OWN_WORK and n]
        loudest = max(clients)[1] if clients else None
        if loudest is None:
            return Figures(sum(calls.values()), sum(failures.values()))
        return Figures(
            sum(calls.values()) - calls[loudest],
            sum(failures.values()) - failures[loudest],
            loudest,
            failures[loudest],
        )

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
