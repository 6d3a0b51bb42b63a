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
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from compat.dual.routing import METERED

OWN_WORK = ""  # the caller of calls made outside any request: jobs, commands


class _Second:
    """One second of one target's calls and failures, by caller."""

    __slots__ = ("at", "calls", "failures")

    def __init__(self, at: int) -> None:
        self.at = at
        self.calls: dict[str, int] = {}
        self.failures: dict[str, int] = {}


class RequestMark:
    """One request's calls: who made it, and the failures to forgive if it ends as a client error
    (``failures``: the seconds they were counted in, made at the first)."""

    __slots__ = ("caller", "failures")

    def __init__(self, caller: str) -> None:
        self.caller = caller
        self.failures: list[_Second] | None = None


_new_mark = object.__new__
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

    def __init__(self, *, expected: tuple[type[BaseException], ...] = (), horizon: int = 3600) -> None:
        self.expected = expected
        # per target, one entry per second that saw calls, the last ``horizon`` of them: counting is
        # two dict updates and reading a window sums at most a bucket a second, so the watcher's
        # pass costs the same at 10 or 10,000 calls a second (it walked every call before)
        self._seconds: dict[str, collections.deque[_Second]] = {}
        self._horizon = horizon
        self._lock = threading.Lock()

    def count(self, target: str, failed: bool) -> None:
        mark = _current.get()
        caller = mark.caller if mark is not None else OWN_WORK
        now = int(time.monotonic())
        with self._lock:
            try:
                seconds = self._seconds[target]
                second = seconds[-1]
                if second.at != now:
                    raise LookupError
            except LookupError:  # a new target or a new second: once a second per target
                seconds = self._seconds.get(target)
                if seconds is None:
                    seconds = self._seconds[target] = collections.deque(maxlen=self._horizon)
                second = _Second(now)
                seconds.append(second)
            calls = second.calls
            calls[caller] = calls[caller] + 1 if caller in calls else 1
            if failed:
                second.failures[caller] = second.failures.get(caller, 0) + 1
                if mark is not None:
                    if mark.failures is None:
                        mark.failures = []
                    mark.failures.append(second)

    @contextlib.contextmanager
    def request(self, caller: str) -> Iterator[RequestMark]:
        """The calls made inside belong to one request from ``caller``; ``settle`` it with its status."""
        mark, token = self.begin(caller)
        try:
            yield mark
        finally:
            _current.reset(token)

    def begin(self, caller: str) -> tuple[RequestMark, contextvars.Token]:
        """``request`` without a context manager, for a server's hot path: the calls made from here
        on, in this context, belong to one request from ``caller``; ``end`` it with its status."""
        mark = _new_mark(RequestMark)  # ``RequestMark(caller)`` without an ``__init__`` frame: every request
        mark.caller, mark.failures = caller or "(unknown client)", None
        return mark, _current.set(mark)

    def end(self, begun: tuple[RequestMark, contextvars.Token], status: int) -> None:
        """The request ``begin`` opened answered ``status``: settle it and leave its context."""
        mark, token = begun
        _current.reset(token)
        if mark.failures:
            self.settle(mark, status)

    def settle(self, mark: RequestMark, status: int) -> None:
        """The request ended with ``status``: below 500 its failures were the client's, not the new path's."""
        if status < 500 and mark.failures:
            with self._lock:
                for second in mark.failures:
                    second.failures[mark.caller] -= 1
        mark.failures = None

    def figures(self, target: str, window: float) -> Figures:
        """Calls and failures of ``target`` and the targets under it in the last ``window`` seconds
        (counted by whole seconds), without the client that failed most (the process's own work is
        never set aside)."""
        start = time.monotonic() - window
        calls: collections.Counter[str] = collections.Counter()
        failures: collections.Counter[str] = collections.Counter()
        with self._lock:
            for name, seconds in self._seconds.items():
                if name != target and not name.startswith(target + "."):
                    continue
                for second in reversed(seconds):
                    if second.at + 1 <= start:
                        break
                    calls.update(second.calls)
                    failures.update(second.failures)
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

        setattr(call, METERED, (attribute, meter, target))  # a caller with a frame of its own counts it instead
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
