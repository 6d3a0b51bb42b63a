"""Receivers bound to instances of different classes: ``repo = SqlRepo(s)`` in one branch and
``repo = GraphRepo(c)`` in another, or ``self.repo = SqlRepo(s) if c else GraphRepo(c)``.

The type rules read the first assignment only. When the method called on such a receiver is a coroutine
for one of the classes and not for another, no single rewrite is right for both: awaiting breaks the sync
one, not awaiting the async one. The call is left as it was, with a TODO naming both classes; when they
agree, the call converts as it would for the first. Every assignment of the name counts (not only those
that reach the call): a reassignment further down is a TODO too, never a wrong await.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async.exprs import Expr
from codemods.sqlalchemy_to_async.facts import Binding


def disagreement(project: Any, module: str, function: str | None, callee: Expr) -> tuple[str, str] | None:
    """For ``receiver.method``: (a class whose method is a coroutine, one whose method is not), or None."""
    if not callee or callee[0] != "attr":
        return None
    classes = instance_types(project, module, function, callee[1])
    if len(classes) < 2:
        return None
    coroutine = {kind: _is_coroutine_method(project, kind, callee[2]) for kind in classes}
    async_ones = [k for k in classes if coroutine[k]]
    sync_ones = [k for k in classes if not coroutine[k]]
    if not async_ones or not sync_ones:
        return None
    return _class_name(async_ones[0]), _class_name(sync_ones[0])


def instance_types(project: Any, module: str, function: str | None, receiver: Expr) -> list[str]:
    """The ``inst:`` types the assignments of a local or of ``self.x`` give, in order and without repeats."""
    found: list[str] = []
    for where, scope, binding in _bindings(project, module, function, receiver):
        for kind in _types(project, where, scope, binding):
            if kind and kind.startswith("inst:") and kind not in found:
                found.append(kind)
    return found


def _bindings(project: Any, module: str, function: str | None, receiver: Expr) -> list[tuple[str, str | None, Binding]]:
    """Every assignment of the receiver, each with the module and scope its value is typed in."""
    if receiver[0] == "name":
        func = project.function(module, function)
        while func is not None:
            if receiver[1] in func.params:
                return []  # a parameter has one type, its annotation's
            if receiver[1] in func.locals:
                return [(module, func.qualname, b) for b in func.locals[receiver[1]]]
            func = project.function(module, func.parent)
        facts = project.modules.get(module)
        variables = facts.variables.get(receiver[1], []) if facts else []
        return [(module, None, b) for b in variables]  # a module's variable (none when it is imported)
    if receiver[0] == "attr":
        base = project.types.type_of(module, function, receiver[1])
        if not base or not base.startswith("inst:"):
            return []
        _, owner_module, cls = base.split(":", 2)
        for owner in project.mro(owner_module, cls):
            if receiver[2] in owner.methods:
                return []
            if receiver[2] in owner.attrs:
                return [(owner.module, scope, b) for scope, b in owner.attrs[receiver[2]]]
    return []


def _types(project: Any, module: str, scope: str | None, binding: Binding) -> list[str | None]:
    """The type of each value a binding may give: both sides of ``a if c else b`` and of ``a or b``."""
    how, value = binding
    if value and value[0] == "in":  # a module global set in a function: typed there (``declared_globals``)
        scope, value = value[1], value[2]
    values = value[1] if value and value[0] == "either" else (value,)
    types = project.types
    if how == "value":
        return [types.type_of(module, scope, v) for v in values]
    if how == "ann":
        return [types.annotation(module, scope, v) for v in values]
    if how == "with":
        return [types.entered(types.type_of(module, scope, v)) for v in values]
    return []


def _is_coroutine_method(project: Any, instance: str, method: str) -> bool:
    found = project.types.member(instance, method)
    if not found or not found.startswith("func:"):
        return False
    target = project.by_id(found[5:])
    return project.is_async(found[5:]) and target is not None and not target.is_generator


def _class_name(instance: str) -> str:
    return instance.rpartition(":")[2]
