"""Dual adapters: one object, a sync and an async call style, routed by the target's stage.

``DualService`` puts an old (sync) and a new (async) implementation of a service behind one
name; ``DualUnits`` does the same for repositories, inside units of work. At ``sync``/``async``
one side serves (bridged when the caller's colour differs); at ``shadow``/``live`` the other
side also runs, off the caller's path, and ``compat.shadow`` compares and records the two.

Units of work: when every repository of a unit is served by its old side, a sync caller gets a
plain ``Session`` (the old path, unchanged). Otherwise the unit holds one ``AsyncSession`` and the
old repositories run on its ``sync_session`` in a greenlet, so a unit that mixes colours is one
transaction: it commits or rolls back as one. A unit keeps the stages in force when it began.

Which methods only read is declared where a service or repository class is defined, as a plain
class attribute ``read_methods = frozenset({...})`` (the stacks never import compat); a class that
declares nothing is judged by its methods' names (``is_read``). Reads may run twice: they are
compared and learnt from, writes are not (unless ``shadow_writes="rollback"``). A unit opened
inside a read method of a service is read-only: ``compat.db`` begins it DEFERRED on SQLite and runs
it in autocommit on PostgreSQL. At ``sync`` and
``async`` (nothing to compare) a facade hands out the repository's own methods (no wrapper).

Repository reads are compared only for units that wrote nothing, once they have committed: the
checking side runs on its own connection and sees committed rows, so a read taken before or
after the unit's own uncommitted writes would differ for no fault of either side.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from types import SimpleNamespace
from typing import Any

from sqlalchemy.util import greenlet_spawn

from compat import bridge
from compat.db import Database
from compat.flags import FlagStore, Stage, get_store
from compat.shadow import Checker, Outcome, normalise, orm_state, snapshot, timed_await, timed_call

READ_PREFIXES = ("get", "find", "list", "count", "export", "authenticate", "search", "read", "show", "status")

OLD, NEW = "old", "new"

# Set by the service facades for the length of one call: the method only reads, so the units of
# work it opens may be read-only ones (``compat.db``: DEFERRED on SQLite, autocommit on PostgreSQL).
# Read where the unit is opened, in the caller's context (never inside SQLAlchemy's greenlets).
_reading: contextvars.ContextVar[bool] = contextvars.ContextVar("asyncshift_reading", default=False)


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


class _Routing:
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


def _settle(outcome: Outcome) -> Any:
    if outcome.error is not None:
        raise outcome.error
    return outcome.value


def _kept(outcome: Outcome) -> Outcome:
    """The served answer as the checking side will compare it: copied now, while ORM objects are
    still loaded (a later rollback would expire them), normalised later, off the caller's path."""
    if outcome.error is not None:
        return outcome
    return Outcome(value=snapshot(outcome.value), seconds=outcome.seconds)


# ------------------------------------------------------------------------------------- services


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
        self.routing = _Routing(target, store=store, checker=checker, reads=reads, shadow_writes=shadow_writes)
        self.old = old
        self.new = new
        self.sync = _SyncServiceFacade(self)
        self.aio = _AsyncServiceFacade(self)

    def _check(self, stage: Stage, method: str, served: str, control: Outcome, args: tuple, kwargs: dict) -> None:
        routing = self.routing
        checker = routing.checker
        assert checker is not None
        ignore = routing.ignore()
        run_new: Callable[[], Any] = lambda: _awaitable_normalised(getattr(self.new, method), args, kwargs, ignore)  # noqa: E731
        run_old: Callable[[], Any] = lambda: normalise(getattr(self.old, method)(*args, **kwargs), ignore)  # noqa: E731
        candidate, is_async = (run_new, True) if served == OLD else (run_old, False)
        again = (run_old, False) if served == OLD else (run_new, True)  # the serving side once more: noise
        learn = checker.noise is not None and routing.reads(method)
        checker.check(
            target=routing.target,
            method=method,
            stage=stage.value,
            served=served,
            control=_kept(control),
            candidate=candidate,
            candidate_is_async=is_async,
            control_again=again[0] if learn else None,
            control_again_is_async=again[1],
            arguments=(args, kwargs),
        )


async def _awaitable_normalised(fn: Callable[..., Any], args: tuple, kwargs: dict, ignore: tuple[str, ...]) -> Any:
    return normalise(await fn(*args, **kwargs), ignore)


class _SyncServiceFacade:
    """Sync call style of a ``DualService``: ``service.sync.method(...)``."""

    def __init__(self, dual: DualService) -> None:
        self._dual = dual

    def __getattr__(self, method: str) -> Callable[..., Any]:
        dual = self._dual
        getattr(dual.old, method)  # AttributeError now, for a method the service does not have
        routing = dual.routing
        reads = routing.reads(method)

        def call(*args: Any, **kwargs: Any) -> Any:
            stage = routing.stage()
            token = _reading.set(reads)
            try:
                if not routing.should_check(stage, method):
                    if stage.serves_new:
                        return bridge.run_sync(getattr(dual.new, method)(*args, **kwargs))
                    return getattr(dual.old, method)(*args, **kwargs)
                if stage.serves_new:
                    served, serve = NEW, lambda: bridge.run_sync(getattr(dual.new, method)(*args, **kwargs))
                else:
                    served, serve = OLD, lambda: getattr(dual.old, method)(*args, **kwargs)
                outcome = timed_call(serve)
                dual._check(stage, method, served, outcome, args, kwargs)
            finally:
                _reading.reset(token)
            return _settle(outcome)

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

        async def call(*args: Any, **kwargs: Any) -> Any:
            stage = routing.stage()
            token = _reading.set(reads)
            try:
                if not routing.should_check(stage, method):
                    if stage.serves_new:
                        return await getattr(dual.new, method)(*args, **kwargs)
                    return await bridge.call_async(getattr(dual.old, method), *args, **kwargs)
                if stage.serves_new:
                    served, serve = NEW, lambda: getattr(dual.new, method)(*args, **kwargs)
                else:
                    served, serve = OLD, lambda: bridge.call_async(getattr(dual.old, method), *args, **kwargs)
                outcome = await timed_await(serve)
                dual._check(stage, method, served, outcome, args, kwargs)
            finally:
                _reading.reset(token)
            return _settle(outcome)

        call.__name__ = method
        self.__dict__[method] = call
        return call


# ---------------------------------------------------------------------------------- repositories


class DualUnits:
    """Units of work handing out dual repositories, for services on either stack.

    ``pairs`` maps a repository name to ``(OldRepository, NewRepository)``: classes built with a
    ``Session`` and an ``AsyncSession``. ``units.sync()`` / ``units.aio()`` are what a sync / an
    async service takes as its ``units``: each yields a namespace of repositories by name,
    commits when the block ends and rolls back when it raises. Each repository's target is
    ``f"{prefix}.{name}"``; its reads are what its classes declare (``declared_reads``) unless
    ``reads`` is given.
    """

    def __init__(
        self,
        database: Database,
        pairs: Mapping[str, tuple[type, type]],
        *,
        prefix: str = "repositories",
        store: FlagStore | None = None,
        checker: Checker | None = None,
        reads: Callable[[str], bool] | None = None,
        shadow_writes: str = "skip",
    ) -> None:
        self.database = database
        self.pairs = dict(pairs)
        self.routings = {
            name: _Routing(
                f"{prefix}.{name}",
                store=store,
                checker=checker,
                reads=reads or declared_reads(*classes),
                shadow_writes=shadow_writes,
            )
            for name, classes in self.pairs.items()
        }
        self._store = store or get_store()
        self._stages_cache: tuple[Any, tuple[dict[str, Stage], bool]] | None = None

    def _stages(self) -> tuple[dict[str, Stage], bool]:
        """Each repository's stage, and whether any is served by its new side; worked out once
        per version of the flags (``FlagStore`` installs a new ``Flags`` object on every change)."""
        flags = self._store.snapshot()
        cached = self._stages_cache
        if cached is not None and cached[0] is flags:
            return cached[1]
        stages = {name: routing.stage() for name, routing in self.routings.items()}
        found = (stages, any(stage.serves_new for stage in stages.values()))
        self._stages_cache = (flags, found)
        return found

    @contextlib.contextmanager
    def sync(self) -> Iterator[SimpleNamespace]:
        stages, any_new = self._stages()
        if not any_new:
            with self.database.unit_of_work(read_only=_reading.get()) as session:
                unit: Any = _PlainUnit(self, session)
                yield self._namespace(unit, stages)
        else:
            unit = _BridgedUnit(self)
            try:
                yield self._namespace(unit, stages)
            except BaseException:
                unit.finish(commit=False)
                raise
            unit.finish(commit=True)
        unit.checks.launch()

    @contextlib.asynccontextmanager
    async def aio(self) -> AsyncIterator[SimpleNamespace]:
        stages = self._stages()[0]
        async with self.database.async_unit_of_work(read_only=_reading.get()) as session:
            unit = _AsyncUnit(self, session)
            yield self._namespace(unit, stages)
        unit.checks.launch()

    def _namespace(self, unit: Any, stages: dict[str, Stage]) -> SimpleNamespace:
        return SimpleNamespace(**{name: unit.facade(name, stages[name]) for name in self.pairs})

    # the checking side: its own session, always rolled back

    def candidate(self, name: str, side: str, method: str, args: tuple, kwargs: dict) -> tuple[Callable[[], Any], bool]:
        old_cls, new_cls = self.pairs[name]
        ignore = self.routings[name].ignore()
        args, kwargs = clone_arguments(args), clone_arguments(kwargs)
        if side == NEW:

            async def run_new() -> Any:
                async with self.database.async_sessions() as session:
                    try:
                        return normalise(await getattr(new_cls(session), method)(*args, **kwargs), ignore)
                    finally:
                        await session.rollback()

            return run_new, True

        def run_old() -> Any:
            with self.database.sync_sessions() as session:
                try:
                    return normalise(getattr(old_cls(session), method)(*args, **kwargs), ignore)
                finally:
                    session.rollback()

        return run_old, False

    def check(
        self, name: str, stage: Stage, method: str, served: str, control: Outcome, args: tuple, kwargs: dict
    ) -> None:
        routing = self.routings[name]
        candidate, is_async = self.candidate(name, OLD if served == NEW else NEW, method, args, kwargs)
        assert routing.checker is not None
        learn = routing.checker.noise is not None and routing.reads(method)
        again, again_is_async = self.candidate(name, served, method, args, kwargs) if learn else (None, False)
        routing.checker.check(
            target=routing.target,
            method=method,
            stage=stage.value,
            served=served,
            control=control,  # copied when the unit held it (see _PendingChecks.add)
            candidate=candidate,
            candidate_is_async=is_async,
            control_again=again,
            control_again_is_async=again_is_async,
            arguments=(args, kwargs),
        )


class _PendingChecks:
    """The reads a unit would compare, held until it commits; dropped if it wrote or failed."""

    def __init__(self, units: DualUnits) -> None:
        self.units = units
        self.wrote = False
        self.reads: list[tuple[str, Stage, str, str, Outcome, tuple, dict]] = []

    def add(
        self, name: str, stage: Stage, method: str, served: str, control: Outcome, args: tuple, kwargs: dict
    ) -> None:
        if self.units.routings[name].reads(method):
            control = _kept(control)
            self.reads.append((name, stage, method, served, control, args, kwargs))
        else:
            self.wrote = True

    def launch(self) -> None:
        if not self.wrote:
            for pending in self.reads:
                self.units.check(*pending)
        self.reads = []


class _PlainUnit:
    """Every repository served by its old side: a plain sync ``Session``, the old path as it was."""

    def __init__(self, units: DualUnits, session: Any) -> None:
        self.units = units
        self.session = session
        self.checks = _PendingChecks(units)

    def facade(self, name: str, stage: Stage) -> Any:
        return _SyncRepositoryFacade(self.units, name, stage, self.units.pairs[name][0](self.session), self)

    def serve(self, repo: Any, method: str, args: tuple, kwargs: dict, served: str) -> Any:
        return getattr(repo, method)(*args, **kwargs)


class _BridgedUnit:
    """A sync caller, some repository served by its new side: one ``AsyncSession`` reached through
    the bridge; old repositories run on its ``sync_session`` in a greenlet on the same connection."""

    def __init__(self, units: DualUnits) -> None:
        self.units = units
        self.session = units.database.async_sessions()
        self.checks = _PendingChecks(units)

    def facade(self, name: str, stage: Stage) -> Any:
        old_cls, new_cls = self.units.pairs[name]
        repo = new_cls(self.session) if stage.serves_new else old_cls(self.session.sync_session)
        return _SyncRepositoryFacade(self.units, name, stage, repo, self)

    def serve(self, repo: Any, method: str, args: tuple, kwargs: dict, served: str) -> Any:
        if served == NEW:
            return bridge.run_sync(getattr(repo, method)(*args, **kwargs))
        return bridge.run_sync(greenlet_spawn(getattr(repo, method), *args, **kwargs))

    def finish(self, *, commit: bool) -> None:
        async def end() -> None:
            try:
                if commit:
                    await self.session.commit()
                else:
                    await self.session.rollback()
            finally:
                await self.session.close()

        bridge.run_sync(end())


class _AsyncUnit:
    """An async caller: one ``AsyncSession``; old repositories run on its ``sync_session`` in a greenlet."""

    def __init__(self, units: DualUnits, session: Any) -> None:
        self.units = units
        self.session = session
        self.checks = _PendingChecks(units)

    def facade(self, name: str, stage: Stage) -> Any:
        old_cls, new_cls = self.units.pairs[name]
        repo = new_cls(self.session) if stage.serves_new else old_cls(self.session.sync_session)
        return _AsyncRepositoryFacade(self.units, name, stage, repo, self)


class _SyncRepositoryFacade:
    """A repository for sync callers, served by the side its unit's stage picks."""

    def __init__(self, units: DualUnits, name: str, stage: Stage, repo: Any, unit: Any) -> None:
        self._units, self._name, self._stage, self._repo, self._unit = units, name, stage, repo, unit
        self._served = NEW if stage.serves_new else OLD

    def __getattr__(self, method: str) -> Callable[..., Any]:
        bound = getattr(self._repo, method)
        units, name, stage, repo, unit, served = (
            self._units,
            self._name,
            self._stage,
            self._repo,
            self._unit,
            self._served,
        )
        if not stage.runs_both and isinstance(unit, _PlainUnit):  # nothing to compare or bridge
            self.__dict__[method] = bound
            return bound

        def call(*args: Any, **kwargs: Any) -> Any:
            if not units.routings[name].should_check(stage, method):
                if stage.runs_both and not units.routings[name].reads(method):
                    unit.checks.wrote = True
                return unit.serve(repo, method, args, kwargs, served)
            outcome = timed_call(lambda: unit.serve(repo, method, args, kwargs, served))
            unit.checks.add(name, stage, method, served, outcome, args, kwargs)
            return _settle(outcome)

        call.__name__ = method
        self.__dict__[method] = call
        return call


class _AsyncRepositoryFacade:
    """A repository for async callers, served by the side its unit's stage picks."""

    def __init__(self, units: DualUnits, name: str, stage: Stage, repo: Any, unit: Any) -> None:
        self._units, self._name, self._stage, self._repo, self._unit = units, name, stage, repo, unit
        self._served = NEW if stage.serves_new else OLD

    def __getattr__(self, method: str) -> Callable[..., Any]:
        bound = getattr(self._repo, method)
        units, name, stage, served, checks = self._units, self._name, self._stage, self._served, self._unit.checks

        if served == NEW:
            serve = bound
        else:

            def serve(*args: Any, **kwargs: Any) -> Any:
                return greenlet_spawn(bound, *args, **kwargs)

        if not stage.runs_both:  # nothing to compare: the method itself (an old one in a greenlet)
            self.__dict__[method] = serve
            return serve

        async def call(*args: Any, **kwargs: Any) -> Any:
            if not units.routings[name].should_check(stage, method):
                if stage.runs_both and not units.routings[name].reads(method):
                    checks.wrote = True
                return await serve(*args, **kwargs)
            outcome = await timed_await(lambda: serve(*args, **kwargs))
            checks.add(name, stage, method, served, outcome, args, kwargs)
            return _settle(outcome)

        call.__name__ = method
        self.__dict__[method] = call
        return call
