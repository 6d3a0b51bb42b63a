"""The namespaces a unit of work hands its repositories out in, each repository made at its first
use: a request touches two or three of a unit's repositories, and making the rest (or a facade
and a sync session for one reached across stacks) would cost every request (issue 18)."""

from __future__ import annotations

from typing import Any

from compat.flags import Stage


class Repositories:
    """A unit's repositories by name, each made at its first use: a call touches two or three of
    them, and a repository reached across stacks costs a facade (and a sync session) to make."""

    def __init__(self, unit: Any, stages: dict[str, Stage]) -> None:
        self._unit = unit
        self._stages = stages

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self._stages:
            raise AttributeError(f"no repository named {name!r} (the unit has {', '.join(sorted(self._stages))})")
        repo = self.__dict__[name] = self._unit.facade(name, self._stages[name])
        return repo


class _NewRepositories:
    """Every repository on the new side, on one session, each made at its first use (a call
    touches one or two of them): the namespace of a unit at ``async``. Each ``DualUnits`` has its
    own subclass, one ``_MadeAtFirstUse`` per repository (``new_repositories_class``)."""

    _pairs: dict[str, tuple[type, type]] = {}

    def __init__(self, session: Any) -> None:
        self._session = session

    def __getattr__(self, name: str) -> Any:  # only for a name the unit does not have
        raise AttributeError(f"no repository named {name!r} (the unit has {', '.join(sorted(self._pairs))})")


class _MadeAtFirstUse:
    """One repository of a ``_NewRepositories`` namespace: made on the unit's session when first
    read, then found in the namespace itself. A class attribute, so a read is a lookup; through
    ``__getattr__`` every first read was a failed lookup first, its ``AttributeError`` message
    formatted and thrown away, on every request (issue 18)."""

    __slots__ = ("name", "cls")

    def __init__(self, name: str, cls: type) -> None:
        self.name = name
        self.cls = cls

    def __get__(self, namespace: Any, owner: type | None = None) -> Any:
        if namespace is None:
            return self
        repo = namespace.__dict__[self.name] = self.cls(namespace._session)
        return repo


def new_repositories_class(pairs: dict[str, tuple[type, type]]) -> type[_NewRepositories]:
    made = {name: _MadeAtFirstUse(name, classes[1]) for name, classes in pairs.items() if not name.startswith("_")}
    return type("NewRepositories", (_NewRepositories,), {"_pairs": pairs, **made})


class _FacadeAtFirstUse:
    """One repository of a ``MixedRepositories`` namespace not at ``async``: its facade, made by the
    namespace's unit (itself made at the first such read) and then found in the namespace itself."""

    __slots__ = ("name", "stage")

    def __init__(self, name: str, stage: Stage) -> None:
        self.name = name
        self.stage = stage

    def __get__(self, namespace: Any, owner: type | None = None) -> Any:
        if namespace is None:
            return self
        repo = namespace.__dict__[self.name] = namespace.unit().facade(self.name, self.stage)
        return repo


class MixedRepositories(_NewRepositories):
    """The namespace of an async unit at mixed stages: a repository at ``async`` is made as at the
    migration's end state (``_MadeAtFirstUse``); any other goes through an ``_AsyncUnit``, made only
    when one is first read, so a call that reads only repositories at ``async`` costs what it
    costs at ``async`` (issue 18: the mix's async half). One subclass per version of the flags."""

    def __init__(self, session: Any, units: Any) -> None:
        self._session = session
        self._units = units
        self._unit: Any = None

    def unit(self) -> Any:
        if self._unit is None:
            self._unit = self._units.async_unit(self._session)
        return self._unit


def mixed_repositories_class(pairs: dict[str, tuple[type, type]], stages: dict[str, Stage]) -> type:
    made: dict[str, Any] = {}
    for name, classes in pairs.items():
        if not name.startswith("_"):
            stage = stages[name]
            made[name] = _MadeAtFirstUse(name, classes[1]) if stage is Stage.ASYNC else _FacadeAtFirstUse(name, stage)
    return type("MixedRepositories", (MixedRepositories,), {"_pairs": pairs, **made})
