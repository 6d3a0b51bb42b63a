"""``asyncshift compare``: run both sides of a target now, on given or recorded inputs, inside
transactions that are rolled back, and compare what they returned *and* the rows they left.

How an application plugs in: ``[tool.asyncshift] compare = "pkg.module:build"`` names a callable
``build(database, *, store, recorder)`` that builds the application's dual adapters on the
database it is given and returns an object with ``services`` (name -> ``DualService``) and/or
``units`` (a ``DualUnits``), and optionally ``subjects`` (target -> ``Subject``) for anything else
(web routes fed recorded requests, CLI commands fed argv lists). It is called twice: once with
every target at ``sync`` (the old path throughout) and once with every target at ``async``.

Each side runs in a sandbox (``compat.control.sandbox``): one connection in a transaction that is
rolled back at the end, its sessions joined to it with savepoints, so the code's own commits stay
inside. The rows each
side added or removed are compared, and the old side is run twice so that generated ids and
timestamps are learnt as noise (``compat.noise``) rather than reported.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compat import bridge
from compat.control.sandbox import async_sandbox, compared_tables, delta, snapshot, sync_sandbox
from compat.db import Database
from compat.flags import FlagStore
from compat.noise import NoiseLearner
from compat.shadow import MemoryRecorder, differences, normalise


@dataclass(frozen=True)
class Subject:
    """One comparable thing: how to run each side on one input (a web route, a CLI command...)."""

    run_old: Callable[[Any], Any]
    run_new: Callable[[Any], Awaitable[Any]]


@dataclass
class Side:
    """What one side did on one input: its value or error, and the rows it added and removed."""

    value: Any = None
    error: str | None = None
    rows: dict[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    """One input compared: the differences that are not noise, and those that were."""

    target: str
    method: str
    arguments: str
    differences: list[str]
    noise: list[str]
    old: Side
    new: Side

    @property
    def matched(self) -> bool:
        return not self.differences


def _store(stage: str, directory: str) -> FlagStore:
    path = Path(directory) / f"{stage}.yaml"
    path.write_text(f"version: 1\ndefault: {stage}\n")
    return FlagStore(path)


def _find(app: Any, target: str, side: str) -> Callable[[str, list, dict], Any]:
    """How to call ``method`` of ``target`` on one side of a built application."""
    subjects = getattr(app, "subjects", None) or {}
    if target in subjects:
        subject = subjects[target]
        return lambda _method, args, _kwargs: (subject.run_old if side == "old" else subject.run_new)(*args)
    head, _, name = target.partition(".")
    services = getattr(app, "services", None) or {}
    if head == "services" and name in services:
        impl = getattr(services[name], side)
        return lambda method, args, kwargs: getattr(impl, method)(*args, **kwargs)
    units = getattr(app, "units", None)
    if units is not None and name in getattr(units, "pairs", {}) and head == units.routings[name].target.split(".")[0]:
        old_cls, new_cls = units.pairs[name]
        database = units.database
        if side == "old":

            def run_old(method: str, args: list, kwargs: dict) -> Any:
                with database.unit_of_work() as session:
                    return normalise(getattr(old_cls(session), method)(*args, **kwargs))

            return run_old

        async def run_new(method: str, args: list, kwargs: dict) -> Any:
            async with database.async_unit_of_work() as session:
                return normalise(await getattr(new_cls(session), method)(*args, **kwargs))

        return run_new
    known = sorted(
        [
            *(f"services.{n}" for n in services),
            *subjects,
            *(units.routings[n].target for n in getattr(units, "pairs", {})),
        ]
    )
    raise LookupError(f"no comparable target '{target}'; the application offers: {', '.join(known) or 'nothing'}")


class Comparer:
    """Runs one target's two sides on inputs; ``hook`` builds the application on a database."""

    def __init__(self, hook: Callable[..., Any], database: Database) -> None:
        self.hook = hook
        self.database = database
        self.tables = compared_tables(database)
        self.learner = NoiseLearner(warmup=10**9)

    def _build(self, sandbox: Database, stage: str, directory: str) -> Any:
        return self.hook(sandbox, store=_store(stage, directory), recorder=MemoryRecorder())

    def run_old(self, target: str, method: str, args: list, kwargs: dict) -> Side:
        with tempfile.TemporaryDirectory() as directory, sync_sandbox(self.database) as (sandbox, connection):
            before = snapshot(connection, self.tables)
            call = _find(self._build(sandbox, "sync", directory), target, "old")
            side = Side()
            try:
                side.value = normalise(call(method, args, kwargs))
            except Exception as exc:
                side.error = f"{type(exc).__name__}: {exc}"
            side.rows = delta(before, snapshot(connection, self.tables))
            return side

    async def run_new(self, target: str, method: str, args: list, kwargs: dict) -> Side:
        with tempfile.TemporaryDirectory() as directory:
            async with async_sandbox(self.database) as (sandbox, connection):
                before = await connection.run_sync(snapshot, self.tables)
                call = _find(self._build(sandbox, "async", directory), target, "new")
                side = Side()
                try:
                    value = call(method, args, kwargs)
                    side.value = normalise(await value if hasattr(value, "__await__") else value)
                except Exception as exc:
                    side.error = f"{type(exc).__name__}: {exc}"
                side.rows = delta(before, await connection.run_sync(snapshot, self.tables))
                return side

    def compare(self, target: str, method: str, args: list, kwargs: dict, arguments: str = "") -> Result:
        """Old twice (to learn noise), new once; each in its own rolled-back transaction."""
        old = self.run_old(target, method, args, kwargs)
        again = self.run_old(target, method, args, kwargs)
        new = bridge.run_sync(self.run_new(target, method, args, kwargs))
        return self._judge(target, method, arguments, old, again, new)

    async def acompare(self, target: str, method: str, args: list, kwargs: dict, arguments: str = "") -> Result:
        """``compare`` for a caller inside an event loop: the old side runs on a worker thread."""
        old = await bridge.call_async(self.run_old, target, method, args, kwargs)
        again = await bridge.call_async(self.run_old, target, method, args, kwargs)
        new = await self.run_new(target, method, args, kwargs)
        return self._judge(target, method, arguments, old, again, new)

    def _judge(self, target: str, method: str, arguments: str, old: Side, again: Side, new: Side) -> Result:
        def plain(side: Side) -> dict[str, Any]:
            return {"value": side.value, "error": side.error, "rows": side.rows}

        self.learner.observe(target, method, plain(old), plain(again))
        found = differences(plain(old), plain(new))
        kept = self.learner.filter(target, method, found)
        noise = [line for line in found if line not in kept]
        return Result(target, method, arguments, kept, noise, old, new)


def as_dict(result: Result) -> dict[str, Any]:
    data = dataclasses.asdict(result)
    data["matched"] = result.matched
    return data
