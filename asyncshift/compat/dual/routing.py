"""What the dual adapters share: which methods only read, copies of call arguments, and the routing
of one target (its stage, its checker and its write policy).

Which methods only read is declared where a service or repository class is defined, as a plain
class attribute ``read_methods = frozenset({...})`` (the stacks never import compat); a class that
declares nothing is judged by its methods' names (``is_read``). Reads may run twice: they are
compared and learnt from, writes are not (unless ``shadow_writes="rollback"``).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from compat.flags import FlagStore, Stage, get_store
from compat.shadow import Checker, Outcome, orm_state, snapshot

READ_PREFIXES = ("get", "find", "list", "count", "export", "authenticate", "search", "read", "show", "status")

OLD, NEW = "old", "new"

# What a wrapper that counts a coroutine function's calls (``compat.control.meter``) sets on itself:
# ``(function, meter, target)``. The async service facade then calls ``function`` itself and counts
# it as the wrapper would (``meter.expected`` answers, other exceptions failures, through
# ``meter.count(target, failed)``): one coroutine frame less on every call and every resumption.
METERED = "__asyncshift_metered__"

# Set by the service facades for the length of one call: the method only reads, so the units of
# work it opens may be read-only ones (``compat.db``: DEFERRED on SQLite, autocommit on PostgreSQL).
# Read where the unit is opened, in the caller's context (never inside SQLAlchemy's greenlets).
reading: contextvars.ContextVar[bool] = contextvars.ContextVar("asyncshift_reading", default=False)


def is_read(method: str) -> bool:
    """The name rule, for a class that declares no ``read_methods``: methods named like reads
    (``READ_PREFIXES``) read; anything else is a write."""
    return method.startswith(READ_PREFIXES)


def declared_reads(*implementations: Any) -> Callable[[str], bool]:
    """Which methods of ``implementations`` (the two sides of one target: objects or classes) only
    read: their ``read_methods`` declaration, else the name rule. A declaration names methods the
    implementation has, and two sides that both declare must declare the same methods."""
    declared: set[frozenset[str]] = set()
    for implementation in implementations:
        names = getattr(implementation, "read_methods", None)
        if names is None:
            continue
        if isinstance(names, str):
            raise TypeError(f"{implementation!r}: read_methods must be a set of method names, not one string")
        unknown = sorted(name for name in names if not callable(getattr(implementation, name, None)))
        if unknown:
            raise ValueError(f"{implementation!r} declares read_methods it does not have: {', '.join(unknown)}")
        declared.add(frozenset(names))
    if not declared:
        return is_read
    if len(declared) > 1:
        sides = " and ".join(str(sorted(names)) for names in declared)
        raise ValueError(f"the two sides declare different read_methods: {sides}")
    return declared.pop().__contains__


def clone_arguments(value: Any) -> Any:
    """Fresh copies of ORM objects among call arguments: one instance cannot live in two sessions."""
    if isinstance(value, list | tuple):
        return type(value)(clone_arguments(v) for v in value)
    if isinstance(value, dict):
        return {k: clone_arguments(v) for k, v in value.items()}
    state = orm_state(value)
    if state is None:
        return value
    fields = {a.key: state.dict[a.key] for a in state.mapper.column_attrs if state.dict.get(a.key) is not None}
    return state.mapper.class_(**fields)


class Routing:
    """What a dual adapter shares: its target, the flags, the checker and the write policy."""

    def __init__(
        self,
        target: str,
        *,
        store: FlagStore | None,
        checker: Checker | None,
        reads: Callable[[str], bool],
        shadow_writes: str,
    ) -> None:
        if shadow_writes not in ("skip", "rollback"):
            raise ValueError(f"shadow_writes must be 'skip' or 'rollback', got {shadow_writes!r}")
        self.target = target
        self.store = store or get_store()
        self.checker = checker
        self.reads = reads
        self.shadow_writes = shadow_writes

    def stage(self, target: str | None = None) -> Stage:
        return self.store.stage(target or self.target)

    def should_check(self, stage: Stage, method: str) -> bool:
        if not stage.runs_both or self.checker is None:
            return False
        if not self.reads(method) and self.shadow_writes == "skip":
            return False
        return self.checker.wants()

    def ignore(self) -> tuple[str, ...]:
        return self.checker.in_force().ignore_fields if self.checker is not None else ()


def settle(outcome: Outcome) -> Any:
    """What the caller gets of an outcome: its value, or its exception raised."""
    if outcome.error is not None:
        raise outcome.error
    return outcome.value


def kept(outcome: Outcome) -> Outcome:
    """The served answer as the checking side will compare it: copied now, while ORM objects are
    still loaded (a later rollback would expire them), normalised later, off the caller's path."""
    if outcome.error is not None:
        return outcome
    return Outcome(value=snapshot(outcome.value), seconds=outcome.seconds)
