"""A relationship read off a model handed to a function as a parameter loads with ``lazy="selectin"``.

``SearchRepository.reindex_all`` loads the catalog objects and hands each to ``self._get_column_names(obj)``,
whose ``obj.columns`` is a lazy load: under an AsyncSession, ``MissingGreenlet``. ``lazy_loads`` adds a
``selectinload`` to the query only when the read is in the function that loads the object; a helper taking the
object (``obj: CatalogObject``) may be handed it by any query of the run, so the relationship itself loads with
its object: ``relationship(..., lazy="selectin")`` in the model, as ``imperative_maps`` does for the relationships
of a classical mapping. Only a parameter typed as a model of the run (annotated, or typed by what the run hands
it) counts, not ``self`` (a model's own methods) nor a local loaded there; an explicit ``lazy=`` is kept, and a
relationship nothing can eagerly load (write-only, dynamic) is left alone.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import sessions
from codemods.sqlalchemy_to_async.exprs import Expr
from codemods.sqlalchemy_to_async.lazy_loads import RELATIONSHIPS


def marked(project: Any) -> set[tuple[str, str, str]]:
    """(module, class qualname, relationship) read off a parameter typed as that model somewhere in the run."""
    found = getattr(project.types, "_handed_reads", None)
    if found is not None:
        return found
    found = project.types._handed_reads = set()
    for module in project.modules.values():
        for qualname, param, name in sorted(getattr(module.flows, "reads", ())):
            func = module.functions.get(qualname)
            if func is not None:
                found.update(_relationship(project, func, ("name", param), name))
    return found


def _relationship(project: Any, func: Any, base: Expr, name: str) -> list[tuple[str, str, str]]:
    kind = project.types.type_of(func.module, func.qualname, base)
    if not kind or not kind.startswith("inst:"):
        return []
    module, _, qualname = kind[5:].partition(":")
    for cls in project.mro(module, qualname):
        callee = cls.relationships.get(name)
        if callee is not None and name not in cls.unloadable:
            if project.types.type_of(cls.module, None, callee) in RELATIONSHIPS:
                return [(cls.module, cls.qualname, name)]
    return []


def eager(conv: Any, target: cst.BaseExpression, value: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """``columns = relationship(...)`` in a model's body, read off a handed parameter: with ``lazy="selectin"``."""
    if not conv.scopes or conv.scopes[-1][0] != "class" or not isinstance(target, cst.Name):
        return None
    if not isinstance(value, cst.Call) or any(a.keyword and a.keyword.value == "lazy" for a in value.args):
        return None
    if (conv.name, conv.scopes[-1][1], target.value) not in marked(conv.project):
        return None
    if conv.type_of(value.func) not in RELATIONSHIPS:
        return None
    conv.notes.note(
        f"lazy='selectin' for {conv.scopes[-1][1]}.{target.value}: read off a parameter of a function it is handed "
        "to, away from the query that loads it; lazy loads fail under asyncio"
    )
    return _with_lazy(value)


def _with_lazy(call: cst.Call) -> cst.Call:
    """``lazy="selectin"`` last; in a call laid out one argument a line with a trailing comma, on a line of its own."""
    args = list(call.args)
    last = args[-1] if args else None
    if len(args) < 2 or not isinstance(last.comma, cst.Comma) or not isinstance(args[-2].comma, cst.Comma):
        return sessions._with_keyword(call, "lazy", '"selectin"')
    equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    new = cst.Arg(cst.SimpleString('"selectin"'), keyword=cst.Name("lazy"), equal=equal, comma=last.comma)
    args[-1] = last.with_changes(comma=args[-2].comma)
    return call.with_changes(args=[*args, new])
