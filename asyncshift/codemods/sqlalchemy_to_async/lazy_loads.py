"""Lazy loads, which raise ``MissingGreenlet`` under asyncio: an object loaded here whose relationship is read
here gets that relationship eagerly loaded (``selectinload``) by the query or ``session.get`` that loads it.

Only when both are in the same function and the loaded class and its relationship are known from the run's
models; a relationship read anywhere else is not followed (the report says so, see the README's limits).
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async.conversion import Conversion

RELATIONSHIPS = {"ref:sqlalchemy.orm.relationship", "ref:sqlalchemy.orm.relationships.relationship"}


def scan(conv: Conversion, function: cst.FunctionDef) -> None:
    """``x = <call>`` then ``x.attr`` in ``function``: the attributes read from what each call gave."""
    body = conv.bodies.of(function)  # the module's one walk (``prewalk``)
    for name, calls in body.assigned.items():
        for call in calls:
            if body.read.get(name):
                conv.loaded_reads[id(call)] = body.read[name]


def options(conv: Conversion, original: cst.Call, entity: cst.BaseExpression) -> list[str]:
    """``selectinload(X.rel)`` for each relationship of ``entity`` read from what ``original`` loads."""
    reads = conv.loaded_reads.get(id(original))
    kind = conv.type_of(entity) if reads else None
    if not kind or not kind.startswith("class:"):
        return []
    module, _, qualname = kind[6:].partition(":")
    found = []
    for cls in conv.project.mro(module, qualname):
        for name, callee in cls.relationships.items():
            if name in cls.unloadable:
                continue  # write-only, dynamic...: reading it builds a query, no eager load fills it
            if name in reads and conv.project.types.type_of(cls.module, None, callee) in RELATIONSHIPS:
                found.append(name)
    if not found:
        return []
    loader = conv.use("sqlalchemy.orm", "selectinload")
    code = conv.module.code_for_node(entity)
    conv.notes.note(f"selectinload for {', '.join(sorted(found))}: read after the load, lazy loads fail under asyncio")
    return [f"{loader}({code}.{name})" for name in sorted(set(found))]


def on_get(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.Call:
    """``session.get(X, key)`` -> ``session.get(X, key, options=[selectinload(X.rel)])`` when ``x.rel`` is read."""
    if not updated.args or any(a.keyword and a.keyword.value == "options" for a in updated.args):
        return updated
    loads = options(conv, original, updated.args[0].value)
    if not loads:
        return updated
    args = list(updated.args)
    args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    value = cst.parse_expression(f"[{', '.join(loads)}]")
    return updated.with_changes(args=[*args, cst.Arg(value, keyword=cst.Name("options"), equal=equal)])
