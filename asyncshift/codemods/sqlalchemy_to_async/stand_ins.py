"""Stand-ins: a test's own function or class put in place of code that became async takes its colour.

``runner.users.get = fake_get``, ``monkeypatch.setattr(Repo, "get", fake_get)``, ``patch.object(repo, "get",
fake_get)``: the code under test awaits ``get`` now, so ``fake_get`` becomes a coroutine function.
``monkeypatch.setattr("pkg.mod.Repo", FakeRepo)`` (or a factory returning ``FakeRepo()``): the methods of
``FakeRepo`` named like ``Repo``'s coroutine methods become coroutines. Their bodies are converted as any other
function's; what calls them elsewhere awaits them, as propagation does for every coroutine.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async.facts import ClassFacts, FunctionFacts
from codemods.sqlalchemy_to_async.mocks import async_methods


def made_async(project: Any) -> set[str]:
    """Ids of the sync functions of the run standing in for a function or class made async."""
    found: set[str] = set()
    for module, scope, replaced, value in _pairs(project):
        if replaced.startswith("func:") and replaced[5:] in project.becoming_async:
            func = _function(project, project.types.type_of(module, scope, value))
            found.update([func.id] if func is not None else [])
        elif replaced.startswith("class:"):
            methods = async_methods(project, "inst:" + replaced[6:])
            for cls in classes(project, module, scope, value):
                found.update(f"{cls.module}:{cls.qualname}.{m}" for m in methods if m in cls.methods)
    return {f for f in found if f not in project.held_sync and not (project.by_id(f) and project.by_id(f).is_async)}


def values(project: Any) -> set[tuple[str, str | None, Any]]:
    """(module, scope, value) of each stand-in of the run that took the colour of what it replaces."""
    found = set()
    for module, scope, replaced, value in _pairs(project):
        if replaced.startswith("func:") and replaced[5:] in project.becoming_async:
            func = _function(project, project.types.type_of(module, scope, value))
            if func is not None and project.is_async(func.id):
                found.add((module, scope, value))
        elif replaced.startswith("class:") and classes(project, module, scope, value):
            found.add((module, scope, value))
    return found


def _pairs(project: Any):
    for module in project.modules.values():
        for scope, target, value in module.stand_ins:
            if isinstance(target, str):
                replaced = project.types.dotted(target)
            else:
                replaced = project.types.type_of(module.name, scope, target)
            if replaced:
                yield module.name, scope, replaced, value


def _function(project: Any, kind: str | None) -> FunctionFacts | None:
    return project.by_id(kind[5:]) if kind and kind.startswith("func:") else None


def classes(project: Any, module: str, scope: str | None, value: Any) -> list[ClassFacts]:
    """The classes of the run a stand-in gives instances of: the class itself, or those its factory returns."""
    kind = project.types.type_of(module, scope, value)
    if kind and kind.startswith("class:"):
        return _class(project, kind[6:])
    factory = _function(project, kind)
    if factory is None:
        return []
    found = []
    for returned in factory.return_values:
        made = project.types.type_of(factory.module, factory.qualname, returned)
        if not (made and made.startswith("inst:")):
            return []  # something else is returned too: not a class's stand-in
        found += [c for c in _class(project, made[5:]) if c not in found]
    return found


def _class(project: Any, kind: str) -> list[ClassFacts]:
    module, _, qualname = kind.partition(":")
    facts = project.modules.get(module)
    cls = facts.classes.get(qualname) if facts else None
    return [cls] if cls is not None else []
