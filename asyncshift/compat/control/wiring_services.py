"""The services half of the module ``asyncshift wire`` writes, at run time: both sides of each
service, built with what its constructor takes (the specs ``compat.control.wiring_arguments`` reads
from the code: ``"session"``, ``"service:NAME"``, a class pair, or ``"given"``).

A service lives as long as the wiring, so a session it is given is a scoped one: a proxy handing
each thread (old side) or each asyncio task (new side) its own session on the application's
database, as Flask-SQLAlchemy's ``db.session`` does; the service commits or closes it as it would
the session the application gives it. A task's session is closed when the task ends (the checking
side of a side-by-side call runs in a task of the checker's: nothing else would end its session, and
on SQLite its open transaction would hold the write lock). An old-side call that runs in a bridge
worker thread (for an async caller, or as the checking side) ends the session it began when it
returns: no caller can reach that thread's session afterwards. ``remove()`` ends the current
thread's session where a request or a job ends, ``aremove()`` the current task's before its end.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
from collections.abc import Mapping
from typing import Any

from compat import bridge
from compat.control.wiring_jobs import load

SIDES = ("old", "new")


def built_with_await(cls: Any) -> bool:
    """A class sqlalchemy-to-async made to be built with ``await Cls.create_async(...)`` (its constructor
    loads data: ``Cls(...)`` raises TypeError)."""
    factory, init = getattr(cls, "create_async", None), getattr(cls, "_init_async", None)
    return inspect.iscoroutinefunction(factory) and callable(init)


class NotBuilt(Exception):
    """A service whose side could not be built; says which parameter and how to give it."""


class ServiceSides:
    """``sides(name)`` -> (old instance, new instance) of the service ``name``, each built once."""

    def __init__(
        self,
        database: Any,
        pairs: Mapping[str, tuple[Any, Any]],
        arguments: Mapping[str, Mapping[str, Any]],
        given: Mapping[str, Mapping[str, tuple[Any, Any]]],
    ) -> None:
        self.database = database
        self.pairs = pairs  # name -> (old class, new class), loaded
        self.arguments = arguments  # name -> {parameter: spec}, as the written module's SERVICE_ARGUMENTS
        self.given = given  # name -> {parameter: (old, new)}, as build(arguments=...) passes them
        self._built: dict[str, tuple[Any, Any]] = {}
        self._building: set[str] = set()
        self._sessions: dict[str, Any] = {}
        self._closing: set[asyncio.Task[Any]] = set()

    def sides(self, name: str) -> tuple[Any, Any]:
        if name not in self._built:
            if name not in self.pairs:
                raise NotBuilt(f"services.{name} is not wired")
            if name in self._building:
                raise NotBuilt(f"services.{name} needs itself to be built")
            self._building.add(name)
            try:
                specs = self.arguments.get(name, {})
                self._built[name] = tuple(  # type: ignore[assignment]
                    self._make_side(cls, specs, side, name) for cls, side in zip(self.pairs[name], SIDES, strict=True)
                )
            finally:
                self._building.discard(name)
        return self._built[name]

    def dual_sides(self, name: str) -> tuple[Any, Any]:
        """``sides(name)`` as a ``DualService`` takes them: the old side's calls in bridge workers end
        the sessions they began (``EndsWorkerSessions``)."""
        old, new = self.sides(name)
        return EndsWorkerSessions(old, self), new

    def _make_side(self, cls: Any, specs: Mapping[str, Any], side: str, name: str) -> Any:
        """One side of the service; a constructor that raises says whose it is: the original's (the
        application's own code fails the same way without the toolkit) or the twin's alone."""
        try:
            return self._make(cls, specs, side, name)
        except NotBuilt:
            raise
        except Exception as exc:  # noqa: BLE001 (named and carried on: the caller leaves the service out)
            whose = "the original" if side == "old" else "the twin (the original builds)"
            raise NotBuilt(
                f"{whose} {cls.__module__}.{cls.__qualname__} raises when built: {type(exc).__name__}: {exc}"
            ) from exc

    def _make(self, cls: Any, specs: Mapping[str, Any], side: str, name: str) -> Any:
        given = {parameter: self._value(spec, side, name, parameter) for parameter, spec in specs.items()}
        if built_with_await(cls):
            return bridge.run_sync(cls.create_async(**given))
        return cls(**given)

    def _value(self, spec: Any, side: str, name: str, parameter: str) -> Any:
        if spec == "session":
            return self.session(side)
        if spec == "given":
            given = self.given.get(name, {}).get(parameter)
            if given is None:
                raise NotBuilt(f"needs {parameter}: build(arguments={{{name!r}: {{{parameter!r}: (old, new)}}}})")
            return given[SIDES.index(side)]
        if isinstance(spec, str) and spec.startswith("service:"):
            return self.sides(spec.partition(":")[2])[SIDES.index(side)]
        old, new, inner = spec
        return self._make(load(old if side == "old" else new), inner, side, name)

    def session(self, side: str) -> Any:
        """One scoped session per side: a session per thread (old), per asyncio task (new)."""
        if side not in self._sessions:
            if side == "old":
                from sqlalchemy.orm import scoped_session

                self._sessions[side] = scoped_session(self.database.sync_sessions)
            else:
                from sqlalchemy.ext.asyncio import async_scoped_session

                self._sessions[side] = async_scoped_session(self._task_session, asyncio.current_task)
        return self._sessions[side]

    def _task_session(self) -> Any:
        """A new session for the current task, closed when the task ends."""
        session = self.database.async_sessions()
        task = asyncio.current_task()
        if task is not None:
            task.add_done_callback(self._end_task_session)
        return session

    def _end_task_session(self, task: asyncio.Task[Any]) -> None:
        """Close the session of ``task``, which has ended (its transaction rolled back if left open)."""
        session = self._sessions["new"].registry.registry.pop(task, None)
        if session is None:  # aremove() ended it already
            return
        closing = asyncio.get_running_loop().create_task(session.close())
        self._closing.add(closing)
        closing.add_done_callback(self._closing.discard)

    def has_session(self, side: str) -> bool:
        """Whether the current thread (old) / task (new) holds a session of ``side``."""
        return side in self._sessions and self._sessions[side].registry.has()

    def remove(self) -> None:
        """End the old side's session of this thread."""
        if "old" in self._sessions:
            self._sessions["old"].remove()

    async def aremove(self) -> None:
        """End the new side's session of this asyncio task."""
        if "new" in self._sessions:
            await self._sessions["new"].remove()


class EndsWorkerSessions:
    """An old-side service as a ``DualService`` holds it: each outermost call made in a bridge worker
    thread ends, when it returns, the wiring's session it began in that thread (else it would stay
    open in the pool's thread, holding its transaction, for whatever call the thread runs next).
    Calls in any other thread are the service's own: the caller ends them (``remove()``)."""

    _depth = threading.local()

    def __init__(self, service: Any, sessions: ServiceSides) -> None:
        self.__wrapped__ = service
        self._sessions = sessions

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.__wrapped__, name)
        if not callable(value):
            return value
        sessions, depth = self._sessions, self._depth

        @functools.wraps(value)
        def call(*args: Any, **kwargs: Any) -> Any:
            if not bridge.in_worker():
                return value(*args, **kwargs)
            outermost = getattr(depth, "level", 0) == 0
            began = outermost and not sessions.has_session("old")
            depth.level = getattr(depth, "level", 0) + 1
            try:
                return value(*args, **kwargs)
            finally:
                depth.level -= 1
                if began:
                    sessions.remove()

        return call
