"""The services half of the module ``asyncshift wire`` writes, at run time: both sides of each
service, built with what its constructor takes (the specs ``compat.control.wiring_arguments`` reads
from the code: ``"session"``, ``"service:NAME"``, a class pair, or ``"given"``).

A service lives as long as the wiring, so a session it is given is a scoped one: a proxy handing
each thread (old side) or each asyncio task (new side) its own session on the application's
database, as Flask-SQLAlchemy's ``db.session`` does; the service commits or closes it as it would
the session the application gives it, and ``remove()`` / ``aremove()`` end the current thread's /
task's session where a request or a job ends (an async one is not ended by its task's end).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from compat.control.wiring_jobs import load

SIDES = ("old", "new")


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
                    self._make(cls, specs, side, name) for cls, side in zip(self.pairs[name], SIDES, strict=True)
                )
            finally:
                self._building.discard(name)
        return self._built[name]

    def _make(self, cls: Any, specs: Mapping[str, Any], side: str, name: str) -> Any:
        return cls(**{parameter: self._value(spec, side, name, parameter) for parameter, spec in specs.items()})

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

                self._sessions[side] = async_scoped_session(self.database.async_sessions, asyncio.current_task)
        return self._sessions[side]

    def remove(self) -> None:
        """End the old side's session of this thread."""
        if "old" in self._sessions:
            self._sessions["old"].remove()

    async def aremove(self) -> None:
        """End the new side's session of this asyncio task."""
        if "new" in self._sessions:
            await self._sessions["new"].remove()
