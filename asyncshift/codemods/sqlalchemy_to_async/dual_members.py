"""Dual objects: a class of the run with, beside a sync member, its async twin on the same object.

An application's database holder that serves both stacks has one: ``unit_of_work`` and ``async_unit_of_work``,
``dispose`` and ``adispose`` (``compat.db.Database`` is such a class; a ``Protocol`` declaring the pairs is one
too, and lets the application name that shape without importing the toolkit). Code that becomes async takes
the twin: ``with db.unit_of_work()`` -> ``async with db.async_unit_of_work()``, ``db.dispose()`` ->
``await db.adispose()``. A twin counts only when it is async (a coroutine function, or an async context manager
by its decorator or its return annotation), so a name that merely starts with ``a`` is never taken for one.
The pair itself is left as written: it is both stacks already - unless the sync member overrides (or is
overridden by) a method that becomes async: code typed with the base awaits it, so it becomes a coroutine
too (its body a plain ``await`` of the twin) and is no pair any more (``colours``).
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async.exprs import Expr
from codemods.sqlalchemy_to_async.facts import FunctionFacts

PREFIXES = ("async_", "a")
ASYNC_MANAGERS = {"contextlib.AbstractAsyncContextManager", "typing.AsyncContextManager"}
ASYNC_MANAGER_DECORATORS = {"contextlib.asynccontextmanager"}


def twin_kind(project: Any, func: FunctionFacts) -> str | None:
    """ "cm" for an async context manager, "coroutine" for a coroutine function, else None (not a twin)."""
    if any(project.types.dotted_decorator(func, d) in ASYNC_MANAGER_DECORATORS for d in func.decorators):
        return "cm"
    head = func.returns[1] if func.returns and func.returns[0] == "generic" else func.returns
    found = project.types.type_of(func.module, func.qualname, head) if head else None
    if found and found.startswith("ref:") and found[4:] in ASYNC_MANAGERS:
        return "cm"
    if func.is_async and not func.is_generator:
        return "coroutine"
    return None


def twin(project: Any, instance: str | None, name: str) -> tuple[str, str] | None:
    """(twin's name, its kind) for member ``name`` of ``instance`` (an ``inst:`` type of the run), else None."""
    if not instance or not instance.startswith("inst:"):
        return None
    sync = project.types.member(instance, name)
    sync_func = project.by_id(sync[5:]) if sync and sync.startswith("func:") else None
    if sync_func is None or sync_func.is_async or sync_func.id in project.becoming_async:
        return None  # a member made async (it overrides a coroutine method) is awaited as it is
    for prefix in PREFIXES:
        found = project.types.member(instance, prefix + name)
        func = project.by_id(found[5:]) if found and found.startswith("func:") else None
        kind = twin_kind(project, func) if func is not None else None
        if kind:
            return prefix + name, kind
    return None


def call_kind(project: Any, module: str, function: str | None, callee: Expr) -> str | None:
    """The twin's kind for a callee ``x.member`` (a member of a dual object), else None."""
    if not callee or callee[0] != "attr":
        return None
    found = twin(project, project.types.type_of(module, function, callee[1]), callee[2])
    return found[1] if found else None


def paired(project: Any, module: str, cls: str, name: str) -> bool:
    """Whether method ``name`` of the class is a sync member with an async twin, or the twin of one."""
    instance = f"inst:{module}:{cls}"
    if twin(project, instance, name):
        return True
    return any(name.startswith(p) and twin(project, instance, name[len(p) :]) for p in PREFIXES)


def held(project: Any, func: FunctionFacts) -> str | None:
    """Why a member of a pair keeps its colour, and its body as written: the pair is both stacks already."""
    if func.cls and func.parent is None and paired(project, func.module, func.cls, func.name):
        return f"'{func.name}' is one of a sync and async pair of {func.cls}'s members"
    return None


def member(conv: Any, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute | None:
    """``db.unit_of_work`` called in code that is async after the run -> ``db.async_unit_of_work``, else None."""
    if id(original) not in conv.callees or not conv.awaitable():
        return None
    found = twin(conv.project, conv.type_of(original.value), original.attr.value)
    return updated.with_changes(attr=cst.Name(found[0])) if found else None
