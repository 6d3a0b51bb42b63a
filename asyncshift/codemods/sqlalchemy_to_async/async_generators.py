"""Generators that became async generators (they await now): iterated with ``async for``, and no ``yield from``.

``for x in gen()`` in a function that is async becomes ``async for``; where it cannot (a sync function, a
lambda) the call keeps a TODO. ``yield from X`` as a statement, which Python forbids in an async generator,
becomes ``for item in X: yield item`` (``async for`` when ``X`` is such a generator), with a TODO unless
``X`` is a literal: the values pass through, ``send()``/``throw()`` and the delegate's return value no
longer do. Any other use (``y = yield from X``) keeps a TODO and is left as it is, which the runner then
refuses to write (invalid Python), naming the line.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async.conversion import Conversion
from codemods.sqlalchemy_to_async.exprs import from_cst

ITEM = "_yielded"
LOOP_TODO = (
    "'yield from' became a loop (an async generator cannot delegate): the values pass through, "
    "send()/throw() and the delegate's return value no longer do"
)


def visit_for(conv: Conversion, node: cst.For) -> None:
    """``for x in gen()`` where ``gen`` became an async generator, in a function that awaits: ``async for``."""
    if _async_generator(conv, conv.function, node.iter) and conv.awaitable():
        conv.async_iterated.add(id(node.iter))


def visit_yield(conv: Conversion, node: cst.Yield) -> None:
    """``yield from gen()``: the loop ``loops`` writes iterates it with ``async for`` (no TODO at the call)."""
    if isinstance(node.value, cst.From) and _async_generator(conv, conv.function, node.value.item):
        conv.async_iterated.add(id(node.value.item))


def leave_for(original: cst.For, updated: cst.For, conv: Conversion) -> cst.For:
    if id(original.iter) in conv.async_iterated:
        return updated.with_changes(asynchronous=cst.Asynchronous())
    return updated


def loops(conv: Conversion, qualname: str, function: cst.FunctionDef) -> cst.FunctionDef:
    """``function`` (about to become ``async def``) with each ``yield from`` statement written as a loop."""
    rewrite = _Loops(conv, qualname, function)
    function = function.visit(rewrite)
    if rewrite.found > rewrite.looped:
        conv.todo(f"'{function.name.value}' is async now, and an async generator cannot 'yield from'")
    return function


class _Loops(cst.CSTTransformer):
    def __init__(self, conv: Conversion, qualname: str, root: cst.FunctionDef) -> None:
        self.conv, self.qualname, self.root = conv, qualname, root
        self.found = self.looped = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node is self.root  # a nested def's yields are its own

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Yield(self, node: cst.Yield) -> None:
        self.found += isinstance(node.value, cst.From)

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement:
        statement = updated.body[0] if len(updated.body) == 1 else None
        value = statement.value if isinstance(statement, cst.Expr) else None
        if not (isinstance(value, cst.Yield) and isinstance(value.value, cst.From)):
            return updated
        self.looped += 1
        source = value.value.item
        body = cst.IndentedBlock([cst.SimpleStatementLine([cst.Expr(cst.Yield(cst.Name(ITEM)))])])
        literal = isinstance(source, (cst.List, cst.Tuple, cst.Set, cst.Dict, cst.SimpleString))
        todo = [] if literal else [cst.EmptyLine(comment=cst.Comment(f"# TODO(asyncshift): {LOOP_TODO}"))]
        return cst.For(
            target=cst.Name(ITEM),
            iter=source,
            body=body,
            asynchronous=cst.Asynchronous() if _async_generator(self.conv, self.qualname, source) else None,
            leading_lines=[*updated.leading_lines, *todo],
        )


def _async_generator(conv: Conversion, scope: str | None, source: cst.BaseExpression) -> bool:
    """``source`` is a call of a generator function of the run that is async now (or was)."""
    if not isinstance(source, cst.Call):
        return False
    found = conv.project.types.type_of(conv.name, scope, from_cst(source.func))
    target = conv.project.by_id(found[5:]) if found and found.startswith("func:") else None
    return bool(target and target.is_generator and conv.project.is_async(target.id))
