"""Thunks: ``helper(lambda: repo.count(x))`` where ``helper`` is a function of the run that calls its parameter.

A lambda cannot await. When its one call became a coroutine and every lambda handed to that parameter is such
a call, the lambda is kept (it returns the coroutine, unawaited on purpose) and the helper awaits what calling
the parameter gives: the shape a hand-written async twin has. A parameter also handed a lambda that stays sync
is left alone, and the coroutine lambda keeps its TODO: never a coroutine dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async.exprs import from_cst
from codemods.sqlalchemy_to_async.facts import FunctionFacts


def parameter(project: Any, func: FunctionFacts, callee: Any, where: int | str) -> tuple[str, str] | None:
    """(function id, parameter name) that ``callee(...)`` in ``func`` hands its argument ``where`` to."""
    found = project.types.type_of(func.module, func.qualname, callee)
    if not found or not found.startswith("func:"):
        return None
    target = project.by_id(found[5:])
    if target is None:
        return None
    if isinstance(where, str):
        return (target.id, where) if where in target.params else None
    names = list(target.params)
    bound = target.cls is not None and "staticmethod" not in target.decorators and callee[0] == "attr"
    index = where + (1 if bound else 0)
    return (target.id, names[index]) if index < len(names) else None


def coroutine_params(project: Any, functions: list[FunctionFacts], is_coroutine: Callable[..., bool]) -> set:
    """The parameters every lambda handed to is a coroutine call now (``is_coroutine(func, callee)``)."""
    kinds: dict[tuple[str, str], set[bool]] = {}
    for func in functions:
        for callee, where, body in func.thunks:
            param = parameter(project, func, callee, where)
            if param is not None:
                kinds.setdefault(param, set()).add(is_coroutine(func, body))
    return {param for param, found in kinds.items() if found == {True}}


def called_param(conv: Any, original: cst.Call) -> bool:
    """``read()`` where ``read`` is a parameter of the function being walked that is handed coroutine lambdas."""
    func = original.func
    if not isinstance(func, cst.Name) or conv.function_id is None or conv.lambdas:
        return False
    return (conv.function_id, func.value) in conv.project.coroutine_params


def handed_lambdas(conv: Any, node: cst.Call) -> list[int]:
    """The bodies of the lambdas ``node`` hands to coroutine parameters: calls kept unawaited, without a TODO."""
    func = conv.project.function(conv.name, conv.function)
    if func is None or not conv.project.coroutine_params:
        return []
    callee = from_cst(node.func)
    bodies = []
    position = 0
    for arg in node.args:
        if arg.star:
            break  # positions unknown after ``*args`` (the first pass reads no further either)
        where: int | str = arg.keyword.value if arg.keyword is not None else position
        if arg.keyword is None:
            position += 1
        value = arg.value
        if isinstance(value, cst.Lambda) and isinstance(value.body, cst.Call) and callee is not None:
            if parameter(conv.project, func, callee, where) in conv.project.coroutine_params:
                bodies.append(id(value.body))
    return bodies
