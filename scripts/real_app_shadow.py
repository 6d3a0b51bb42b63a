"""What ``real_app_recipe.py`` checks of phases 1 and 2 on the real app: side by side, status, rollback.

Run inside the app's venv, in the clone, on the wiring ``asyncshift wire`` wrote (``w``): the
repositories and services go to ``shadow`` by ``asyncshift flags set``; every read the wiring can
call with no argument, or with only ids (given 1, the row the check adds), is called through
``build()``'s adapters, by a sync caller and by an async one; each call must be compared and recorded in
the toolkit's records file (``ASYNCSHIFT_DATABASE_URL``) and counted by ``asyncshift status``; then
``asyncshift rollback``, and the same calls in the same process (no restart) must be served by the
original classes alone, with nothing new recorded.

Which side served is seen by counting the calls each class's methods get (the check's own spy, put
on the classes for the length of the check: the application's code is not changed).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

ID_VALUE = 1  # the row the check adds (users.id = 1)
CALL_SECONDS = 20  # a call that has not answered by then is a finding, not a wait
SETTLE_SECONDS = 1.5  # longer than the flag store's poll interval: the running store follows by itself


def required(function: Callable[..., Any]) -> list[str] | None:
    """A method's parameters without a default, after ``self`` (None: no signature to read)."""
    try:
        parameters = list(inspect.signature(function).parameters.values())[1:]
    except (TypeError, ValueError):
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in parameters if p.default is p.empty and p.kind in kinds]


def callable_reads(cls: type, reads: Callable[[str], bool]) -> list[tuple[str, tuple]]:
    """(method, args) for each public read of ``cls`` taking nothing or ids only."""
    calls = []
    for name, function in inspect.getmembers(cls, inspect.isfunction):
        needed = required(function)
        if name.startswith("_") or not reads(name) or needed is None:
            continue
        if all(p == "id" or p.endswith("_id") for p in needed):
            calls.append((name, (ID_VALUE,) * len(needed)))
    return calls


class Spy:
    """Counts the calls the methods of some classes get, per side (``old``/``new``)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._undo: list[tuple[type, str, Any]] = []

    def watch(self, cls: type, method: str, side: str) -> None:
        original = cls.__dict__.get(method)
        if original is None or any(c is cls and m == method for c, m, _ in self._undo):
            return
        counts = self.counts
        if inspect.iscoroutinefunction(original):

            @functools.wraps(original)
            async def counted(*args: Any, **kwargs: Any) -> Any:
                counts[side] += 1
                return await original(*args, **kwargs)

        else:

            @functools.wraps(original)
            def counted(*args: Any, **kwargs: Any) -> Any:
                counts[side] += 1
                return original(*args, **kwargs)

        setattr(cls, method, counted)
        self._undo.append((cls, method, original))

    def reset(self) -> None:
        self.counts.clear()

    def remove(self) -> None:
        for cls, method, original in reversed(self._undo):
            setattr(cls, method, original)


def add_row(w: Any) -> None:
    """The user the ids point at, in the application's own database (its own model)."""
    from core.db import Base, engine
    from core.models.user import User
    from sqlalchemy.orm import Session

    Base.metadata.create_all(engine)
    with Session(engine) as session:
        if session.get(User, ID_VALUE) is None:
            session.add(User(id=ID_VALUE, email="ann@example.com", name="Ann Example", role="admin"))
            session.commit()


def plan_calls(app: Any, spy: Spy) -> list[tuple[str, str, str, tuple]]:
    """(kind, name, method, args) for every call the check makes, each method watched on both sides."""
    calls = []
    for name, (old_cls, new_cls) in sorted(app.units.pairs.items()):
        for method, args in callable_reads(old_cls, app.units.routings[name].reads):
            if hasattr(new_cls, method):
                spy.watch(old_cls, method, "old")
                spy.watch(new_cls, method, "new")
                calls.append(("repositories", name, method, args))
    for name, dual in sorted(app.services.items()):
        for method, args in callable_reads(type(dual.old.__wrapped__), dual.routing.reads):
            if hasattr(dual.new, method):
                spy.watch(type(dual.old.__wrapped__), method, "old")
                spy.watch(type(dual.new), method, "new")
                calls.append(("services", name, method, args))
    return calls


def make_calls(app: Any, calls: list[tuple[str, str, str, tuple]]) -> dict[str, Any]:
    """Every call once by a sync caller, once by an async one (each repository call in a unit of its
    own), one at a time: each call's check is finished before the next call (the app's services keep
    the session they got when built, so two checks of one service at once would share it).

    Counts what was done and what should have been compared: every service call, and every
    repository call that did not raise (a unit that failed is rolled back, its reads not compared)."""
    done: Counter[str] = Counter()
    raised: set[str] = set()
    hung: list[str] = []

    def sync_call(kind: str, name: str, method: str, args: tuple) -> Any:
        if kind == "repositories":
            with app.units.sync() as repositories:
                return getattr(getattr(repositories, name), method)(*args)
        return getattr(app.services[name].sync, method)(*args)

    async def async_call(kind: str, name: str, method: str, args: tuple) -> Any:
        if kind == "repositories":
            async with app.units.aio() as repositories:
                return await getattr(getattr(repositories, name), method)(*args)
        return await getattr(app.services[name].aio, method)(*args)

    def count(kind: str, name: str, method: str, caller: str, error: BaseException | None) -> None:
        done[f"{kind} {caller}"] += 1
        if error is not None:
            done[f"{kind} {caller} raised"] += 1
            raised.add(f"{name}.{method}: {type(error).__name__}")
        if kind == "services" or error is None:
            done["should be compared"] += 1

    for kind, name, method, args in calls:
        error = None
        try:
            sync_call(kind, name, method, args)
        except Exception as exc:  # noqa: BLE001 (the served side's own error: compared and recorded too)
            error = exc
        count(kind, name, method, "sync", error)
        app.sessions.remove()
        app.checker.drain_sync(timeout=CALL_SECONDS)

    async def async_calls() -> None:
        for kind, name, method, args in calls:
            error = None
            try:
                await asyncio.wait_for(async_call(kind, name, method, args), CALL_SECONDS)
            except TimeoutError as exc:
                error = exc
                hung.append(f"{name}.{method}")
            except Exception as exc:  # noqa: BLE001
                error = exc
            count(kind, name, method, "async", error)
            await app.sessions.aremove()
            await app.checker.drain(timeout=CALL_SECONDS)

    asyncio.run(async_calls())
    app.checker.drain_sync(timeout=CALL_SECONDS)
    return {**dict(sorted(done.items())), "raised": sorted(raised), **({"timed out": hung} if hung else {})}


def recorded(url: str) -> dict[str, Any]:
    """What the records file holds, by phase: rows, mismatches, and the first few mismatches."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT target, method, matched, diff FROM shadow_results")).all()
    engine.dispose()
    phases: Counter[str] = Counter()
    mismatched: Counter[str] = Counter()
    examples = []
    for target, method, matched, diff in rows:
        phase = target.split(".")[0]
        phases[phase] += 1
        if not matched:
            mismatched[phase] += 1
            if len(examples) < 8:
                examples.append(f"{target}.{method}: {diff.splitlines()[0][:120] if diff else '?'}")
    return {"rows": dict(phases), "mismatches": dict(mismatched), "first mismatches": examples, "total": len(rows)}


def asyncshift(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["asyncshift", *args], capture_output=True, text=True)


def status_figures() -> dict[str, Any]:
    """``asyncshift status``: its phase lines, and per phase (``--json``) the runs it counts and its
    targets with runs (the table's indented lines)."""
    table = asyncshift("status")
    as_json = asyncshift("status", "--json")
    phases = {}
    if as_json.returncode == 0:
        for row in json.loads(as_json.stdout).get("phases", []):
            if row.get("target") not in ("repositories", "services"):
                continue
            children = [c for c in row.get("children", []) if (c.get("figures") or {}).get("runs")]
            phases[row["target"]] = {
                "stage": row.get("stage"),
                "runs": (row.get("figures") or {}).get("runs"),
                "targets with runs": len(children),
                "their runs": sum(c["figures"]["runs"] for c in children),
            }
    lines = [line for line in table.stdout.splitlines() if line.split()[:1] in (["repositories"], ["services"])]
    return {"exit": table.returncode, "phase lines": lines, "by phase": phases, "stderr": table.stderr.strip()[-300:]}


def side_by_side_then_rollback(w: Any, store: Any, database_url: str) -> dict[str, Any]:
    """Phases 1 and 2 at ``shadow`` through the wiring, then ``asyncshift rollback``: the figures."""
    import warnings

    found: dict[str, Any] = {}
    add_row(w)
    for phase in ("repositories", "services"):
        done = asyncshift("flags", "set", phase, "shadow")
        found[f"flags set {phase} shadow"] = done.returncode
    time.sleep(SETTLE_SECONDS)
    found["stages at shadow"] = sorted({store.stage(p).value for p in ("repositories", "services")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = w.build(store=store)  # recording in the toolkit's database ([tool.asyncshift] / its variable)
    found["service pairs built (users.id 1 in the database)"] = f"{len(app.services)}/{len(w.SERVICES)}"
    spy = Spy()
    calls = plan_calls(app, spy)
    found["targets called"] = len({(kind, name) for kind, name, _, _ in calls})
    found["calls at shadow"] = make_calls(app, calls)
    found["served at shadow (method calls per side)"] = dict(spy.counts)
    found["checks dropped"] = app.checker.dropped
    at_shadow = recorded(database_url)
    found["recorded at shadow"] = at_shadow
    made = 2 * len(calls)  # each call by a sync caller and by an async one
    expected = found["calls at shadow"]["should be compared"]
    found["every call compared and recorded"] = at_shadow["total"] == expected and app.checker.dropped == 0
    found["status at shadow"] = status_figures()
    by_phase = found["status at shadow"]["by phase"].values()
    found["status counts every record, by target"] = sum(p["runs"] or 0 for p in by_phase) == at_shadow[
        "total"
    ] and all(p["runs"] == p["their runs"] for p in by_phase)

    done = asyncshift("rollback")
    found["rollback exit"] = done.returncode
    time.sleep(SETTLE_SECONDS)  # the running store follows the file by itself: no restart, no refresh()
    found["stages after rollback"] = sorted({store.stage(p).value for p in ("repositories", "services")})
    spy.reset()
    found["calls after rollback"] = make_calls(app, calls)
    found["served after rollback (method calls per side)"] = dict(spy.counts)
    after = recorded(database_url)
    found["recorded after rollback (new rows)"] = after["total"] - at_shadow["total"]
    found["status after rollback"] = status_figures()["phase lines"]
    found["every call served by the original code"] = (
        spy.counts.get("new", 0) == 0 and spy.counts.get("old", 0) >= made and after["total"] == at_shadow["total"]
    )
    spy.remove()
    found["rollback --undo exit"] = asyncshift("rollback", "--undo").returncode
    return found
