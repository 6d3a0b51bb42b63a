"""Dual units of work: repositories handed out inside units of work, for services on either stack,
each repository routed by its target's stage.

When every repository of a unit is served by its old side, a sync caller gets a plain ``Session``
(the old path, unchanged). Otherwise the unit holds one ``AsyncSession`` and the old repositories
run on its ``sync_session`` in a greenlet, so a unit that mixes colours is one transaction: it
commits or rolls back as one. A unit keeps the stages in force when it began. A unit opened inside
a read method of a service (``routing.reading``) is read-only: ``compat.db`` begins it DEFERRED on
SQLite and runs it in autocommit on PostgreSQL. Where nothing is compared and no bridge is
needed (a sync unit at ``sync``, an async unit at ``async``) the unit hands out the repository
itself: no layer per call.

Repository reads are compared only for units that wrote nothing, once they have committed: the
checking side runs on its own connection and sees committed rows, so a read taken before or
after the unit's own uncommitted writes would differ for no fault of either side.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from types import SimpleNamespace
from typing import Any

from sqlalchemy.util import greenlet_spawn

from compat import bridge
from compat.db import Database
from compat.dual.namespaces import MixedRepositories, Repositories, mixed_repositories_class, new_repositories_class
from compat.dual.routing import NEW, OLD, Routing, clone_arguments, declared_reads, kept, reading, settle
from compat.flags import FlagStore, Stage, get_store
from compat.shadow import Checker, Outcome, normalise, timed_await, timed_call


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
            name: Routing(
                f"{prefix}.{name}",
                store=store,
                checker=checker,
                reads=reads or declared_reads(*classes),
                shadow_writes=shadow_writes,
            )
            for name, classes in self.pairs.items()
        }
        self._store = store or get_store()
        self._new_repositories = new_repositories_class(self.pairs)
        self._stages_cache: tuple[Any, tuple[dict[str, Stage], bool, bool, type[MixedRepositories]]] | None = None

    def _stages(self) -> tuple[dict[str, Stage], bool, bool, type[MixedRepositories]]:
        """Each repository's stage, whether any is served by its new side, whether all are at
        ``async``, and the namespace class an async unit at these stages uses; worked out once per
        version of the flags (``FlagStore`` installs a new ``Flags`` object on every change)."""
        flags = self._store.snapshot()
        cached = self._stages_cache
        if cached is not None and cached[0] is flags:
            return cached[1]
        stages = {name: routing.stage() for name, routing in self.routings.items()}
        found = (
            stages,
            any(stage.serves_new for stage in stages.values()),
            all(stage is Stage.ASYNC for stage in stages.values()),
            mixed_repositories_class(self.pairs, stages),
        )
        self._stages_cache = (flags, found)
        return found

    @contextlib.contextmanager
    def sync(self) -> Iterator[SimpleNamespace]:
        stages, any_new, _all_async, _mixed = self._stages()
        if not any_new:
            with self.database.unit_of_work(read_only=reading.get()) as session:
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
    async def aio(self) -> AsyncIterator[Any]:
        cached = self._stages_cache  # ``_stages()`` written out: this runs for every async unit
        if cached is None or cached[0] is not self._store.snapshot():
            self._stages()
            cached = self._stages_cache
            assert cached is not None
        _stages, _any_new, all_async, mixed = cached[1]
        if all_async:  # the migration's end state: the new repositories, nothing to compare or bridge
            async with self.database.async_unit_of_work(read_only=reading.get()) as session:
                yield self._new_repositories(session)
            return
        async with self.database.async_unit_of_work(read_only=reading.get()) as session:
            repositories = mixed(session, self)
            yield repositories
        if repositories._unit is not None:
            repositories._unit.checks.launch()

    def _namespace(self, unit: Any, stages: dict[str, Stage]) -> Repositories:
        return Repositories(unit, stages)

    def async_unit(self, session: Any) -> _AsyncUnit:
        """The unit a ``MixedRepositories`` namespace reaches a repository not at ``async`` through."""
        return _AsyncUnit(self, session)

    # off the caller's path: each run on its own session, always rolled back

    def side_run(self, name: str, side: str, method: str, args: tuple, kwargs: dict) -> tuple[Callable[[], Any], bool]:
        """One side's run of a repository call, on its own session, rolled back (the checking side,
        or the served side once more for ``noise``), and whether it returns an awaitable."""
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
        self, name: str, stage: Stage, method: str, served_side: str, served: Outcome, args: tuple, kwargs: dict
    ) -> None:
        routing = self.routings[name]
        checking_side = OLD if served_side == NEW else NEW
        checking, checking_is_async = self.side_run(name, checking_side, method, args, kwargs)
        assert routing.checker is not None
        learn = routing.checker.noise is not None and routing.reads(method)
        again, again_is_async = self.side_run(name, served_side, method, args, kwargs) if learn else (None, False)
        routing.checker.check(
            target=routing.target,
            method=method,
            stage=stage.value,
            served_side=served_side,
            served=served,  # copied when the unit held it (see _PendingChecks.add)
            checking=checking,
            checking_is_async=checking_is_async,
            served_again=again,
            served_again_is_async=again_is_async,
            arguments=(args, kwargs),
        )


class _PendingChecks:
    """The reads a unit would compare, held until it commits; dropped if it wrote or failed."""

    def __init__(self, units: DualUnits) -> None:
        self.units = units
        self.wrote = False
        self.reads: list[tuple[str, Stage, str, str, Outcome, tuple, dict]] = []

    def add(
        self, name: str, stage: Stage, method: str, served_side: str, served: Outcome, args: tuple, kwargs: dict
    ) -> None:
        if self.units.routings[name].reads(method):
            served = kept(served)
            self.reads.append((name, stage, method, served_side, served, args, kwargs))
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
        repo = self.units.pairs[name][0](self.session)
        if not stage.runs_both:  # nothing to compare: the repository itself, no layer per call
            return repo
        return _SyncRepositoryFacade(self.units, name, stage, repo, self)

    def serve(self, repo: Any, method: str, args: tuple, kwargs: dict, served_side: str) -> Any:
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

    def serve(self, repo: Any, method: str, args: tuple, kwargs: dict, served_side: str) -> Any:
        if served_side == NEW:
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
        """A repository not at ``async`` (one at ``async`` is made by ``MixedRepositories`` itself)."""
        old_cls, new_cls = self.units.pairs[name]
        repo = new_cls(self.session) if stage.serves_new else old_cls(self.session.sync_session)
        return _AsyncRepositoryFacade(self.units, name, stage, repo, self)


class _SyncRepositoryFacade:
    """A repository for sync callers, served by the side its unit's stage picks."""

    def __init__(self, units: DualUnits, name: str, stage: Stage, repo: Any, unit: Any) -> None:
        self._units, self._name, self._stage, self._repo, self._unit = units, name, stage, repo, unit
        self._served_side = NEW if stage.serves_new else OLD

    def __getattr__(self, method: str) -> Callable[..., Any]:
        bound = getattr(self._repo, method)
        units, name, stage, repo, unit, served_side = (
            self._units,
            self._name,
            self._stage,
            self._repo,
            self._unit,
            self._served_side,
        )
        if not stage.runs_both and isinstance(unit, _PlainUnit):  # nothing to compare or bridge
            self.__dict__[method] = bound
            return bound

        def call(*args: Any, **kwargs: Any) -> Any:
            if not units.routings[name].should_check(stage, method):
                if stage.runs_both and not units.routings[name].reads(method):
                    unit.checks.wrote = True
                return unit.serve(repo, method, args, kwargs, served_side)
            outcome = timed_call(lambda: unit.serve(repo, method, args, kwargs, served_side))
            unit.checks.add(name, stage, method, served_side, outcome, args, kwargs)
            return settle(outcome)

        call.__name__ = method
        self.__dict__[method] = call
        return call


class _AsyncRepositoryFacade:
    """A repository for async callers, served by the side its unit's stage picks."""

    def __init__(self, units: DualUnits, name: str, stage: Stage, repo: Any, unit: Any) -> None:
        self._units, self._name, self._stage, self._repo, self._unit = units, name, stage, repo, unit
        self._served_side = NEW if stage.serves_new else OLD

    def __getattr__(self, method: str) -> Callable[..., Any]:
        bound = getattr(self._repo, method)
        units, name, stage, served_side, checks = (
            self._units,
            self._name,
            self._stage,
            self._served_side,
            self._unit.checks,
        )

        if served_side == NEW:
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
            checks.add(name, stage, method, served_side, outcome, args, kwargs)
            return settle(outcome)

        call.__name__ = method
        self.__dict__[method] = call
        return call
