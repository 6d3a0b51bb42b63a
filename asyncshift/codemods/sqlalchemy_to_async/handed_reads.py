"""A relationship read off a model handed to a function as a parameter loads with ``lazy="selectin"``.

``SearchRepository.reindex_all`` loads the catalog objects and hands each to ``self._get_column_names(obj)``,
whose ``obj.columns`` is a lazy load: under an AsyncSession, ``MissingGreenlet``. ``lazy_loads`` adds a
``selectinload`` to the query only when the read is in the function that loads the object; a helper taking the
object (``obj: CatalogObject``) may be handed it by any query of the run, so the relationship itself loads with
its object: ``relationship(..., lazy="selectin")`` in the model, as ``imperative_maps`` does for the relationships
of a classical mapping. Only a parameter typed as a model of the run (annotated, or typed by what the run hands
it) counts, not ``self`` (a model's own methods) nor a local loaded there; an explicit ``lazy=`` is kept, and a
relationship nothing can eagerly load (write-only, dynamic) is left alone.

``self.votes`` in a model's sync-only method (a property, ``__str__``, ``__len__``...: Python calls them without
awaiting, so they can never await a load) loads with ``lazy="selectin"`` too; when the model chose a lazy load
(``lazy="dynamic"``, ``lazy="select"``, a ``DynamicMapped``) the relationship gets a TODO naming the methods
instead, and each read one of its own (``read_site``), not a silent ``MissingGreenlet``; a backref another class
declares (``backref("votes")``) likewise. ``__init__`` is not one of them: its object is new, a read loads nothing.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import sessions
from codemods.sqlalchemy_to_async.exprs import Expr
from codemods.sqlalchemy_to_async.lazy_loads import RELATIONSHIPS


def marked(project: Any) -> set[tuple[str, str, str]]:
    """(module, class qualname, relationship) read off a parameter typed as that model somewhere in the run, or off
    a local holding what a function of the run loaded."""
    found = getattr(project.types, "_handed_reads", None)
    if found is not None:
        return found
    found = project.types._handed_reads = set()
    for module in project.modules.values():
        for qualname, param, name in sorted(getattr(module.flows, "reads", ())):
            func = module.functions.get(qualname)
            if func is not None:
                found.update(_relationship(project, func, ("name", param), name))
        for qualname, local, name in sorted(getattr(module.flows, "local_reads", ())):
            func = module.functions.get(qualname)
            if func is not None and _loaded_elsewhere(project, func, local):
                found.update(_relationship(project, func, ("name", local), name))
    return found


def _loaded_elsewhere(project: Any, func: Any, local: str) -> bool:
    """Whether ``local`` only holds what functions of the run return (``player = Player.get(session, key)``): the
    query loading it is there, where no ``selectinload`` for a read here goes (``lazy_loads``)."""
    bound = func.locals.get(local, ())
    return bool(bound) and all(
        value is not None
        and value[0] == "call"
        and (project.types.type_of(func.module, func.qualname, value[1]) or "").startswith("func:")
        for _, value in bound
    )


SYNC_ONLY = {"__str__", "__repr__", "__format__", "__len__", "__bool__", "__iter__", "__contains__", "__hash__"}
SYNC_ONLY |= {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__getitem__"}
LAZY = {"dynamic", "select", "True"}  # a lazy load on each read, which a method that cannot await cannot do


def sync_reads(project: Any) -> dict[tuple[str, str, str, str], list[str]]:
    """(module, class qualname, relationship, "" or "backref") -> the sync-only methods reading ``self.rel``
    (``Cls.method``); "backref": what they read is the backref another class's relationship declares."""
    found = getattr(project.types, "_sync_reads", None)
    if found is not None:
        return found
    found = project.types._sync_reads = {}
    for module in project.modules.values():
        for qualname, name in sorted(getattr(module.flows, "self_reads", ())):
            func = module.functions.get(qualname)
            if func is None or func.cls is None or func.is_async or not _sync_only(func):
                continue
            for key in _declared(project, project.mro(func.module, func.cls), name)[:1]:
                where = found.setdefault(key, [])
                where.append(func.qualname)  # not its line: the TODO above the relationship would move it
    return found


def _declared(project: Any, lineage: list, name: str) -> list[tuple[str, str, str, str]]:
    """Where relationship ``name`` of a class of ``lineage`` is declared: in the class, or as another's backref."""
    for cls in lineage:
        callee = cls.relationships.get(name)
        if callee is not None and project.types.type_of(cls.module, None, callee) in RELATIONSHIPS:
            return [(cls.module, cls.qualname, name, "")]
    names = {cls.qualname.rpartition(".")[2] for cls in lineage}
    return [
        (other.module, other.qualname, rel, "backref")
        for module in project.modules.values()
        for other in module.classes.values()
        for rel, link in other.links.items()
        if link[0] in names and link[2] == name
    ]


def read_site(conv: Any, original: cst.Attribute) -> None:
    """``self.votes`` in a sync-only method, where the model chose a lazy load: a TODO here too (the line)."""
    func = conv.project.function(conv.name, conv.function) if isinstance(original.value, cst.Name) else None
    if func is None or func.cls is None or original.value.value != func.first_param or not _sync_only(func):
        return
    name = original.attr.value
    for module, qualname, rel, side in _declared(conv.project, conv.project.mro(func.module, func.cls), name)[:1]:
        cls = conv.project.modules[module].classes[qualname]
        lazy = getattr(cls, "backref_lazies" if side else "lazies", {}).get(rel)
        lazy = "dynamic" if not side and lazy is None and rel in cls.unloadable else lazy
        if lazy in LAZY and not func.is_async:
            declared = f"backref of {qualname}.{rel}" if side else f"{qualname}.{rel}"
            conv.todo(
                f"self.{name} ({declared}, lazy={lazy!r}) lazy-loads here, in a method Python calls without "
                "awaiting: MissingGreenlet under the AsyncSession (see the TODO at the relationship)"
            )


def _sync_only(func: Any) -> bool:
    getter = any(d.rpartition(".")[2] in ("property", "cached_property", "hybrid_property") for d in func.decorators)
    return getter or func.name in SYNC_ONLY


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
    if not isinstance(value, cst.Call) or conv.type_of(value.func) not in RELATIONSHIPS:
        return None
    key = (conv.name, conv.scopes[-1][1], target.value)
    reads = sync_reads(conv.project)
    if (*key, "backref") in reads:
        value = _backref(conv, key, value, reads[(*key, "backref")])
    lazy = next((a.value for a in value.args if a.keyword and a.keyword.value == "lazy"), None)
    where = reads.get((*key, ""))
    facts = conv.project.modules[conv.name].classes.get(key[1]) if where else None
    typed = lazy is None and facts is not None and target.value in facts.unloadable  # ``DynamicMapped[X]``
    if where and lazy is None and not typed:
        conv.notes.note(
            f"lazy='selectin' for {key[1]}.{target.value}: read in {', '.join(where)}, which cannot await a lazy load"
        )
        return _with_lazy(value)
    if where and (typed or _lazy_value(lazy) in LAZY):
        _todo(conv, f"{key[1]}.{target.value}", "dynamic" if typed else _lazy_value(lazy), where, target.value)
        return value
    if lazy is not None or key not in marked(conv.project):
        return value if (*key, "backref") in reads else None
    conv.notes.note(
        f"lazy='selectin' for {conv.scopes[-1][1]}.{target.value}: read off a parameter of a function it is handed "
        "to, away from the query that loads it; lazy loads fail under asyncio"
    )
    return _with_lazy(value)


def _backref(conv: Any, key: tuple[str, str, str], call: cst.Call, where: list[str]) -> cst.Call:
    """The relationship with its ``backref=`` loading with ``lazy="selectin"``; a TODO if the backref chose a lazy
    load (``backref("votes", lazy="dynamic")``)."""
    args = list(call.args)
    for i, arg in enumerate(args):
        if not (arg.keyword and arg.keyword.value == "backref"):
            continue
        if isinstance(arg.value, cst.SimpleString):
            name = arg.value.evaluated_value
            made = cst.parse_expression(f'{conv.use("sqlalchemy.orm", "backref")}({arg.value.value}, lazy="selectin")')
        elif (
            isinstance(arg.value, cst.Call) and arg.value.args and isinstance(arg.value.args[0].value, cst.SimpleString)
        ):
            name = arg.value.args[0].value.evaluated_value
            lazy = next((a.value for a in arg.value.args if a.keyword and a.keyword.value == "lazy"), None)
            if lazy is not None:
                if _lazy_value(lazy) in LAZY:
                    what = f"{where[0].rpartition('.')[0]}.{name} (backref of {key[1]}.{key[2]})"
                    _todo(conv, what, _lazy_value(lazy), where, name)
                return call
            made = sessions._with_keyword(arg.value, "lazy", '"selectin"')
        else:
            return call
        conv.notes.note(f"lazy='selectin' for backref {name} of {key[1]}.{key[2]}: read in {', '.join(where)}")
        args[i] = arg.with_changes(value=made)
        return call.with_changes(args=args)
    return call


def _todo(conv: Any, what: str, lazy: str | None, where: list[str], name: str) -> None:
    conv.todo(
        f"{what} is lazy={lazy!r} and read in {', '.join(where)}, which Python calls without awaiting: its load "
        "raises MissingGreenlet under the AsyncSession; "
        + (
            "a dynamic relationship cannot load under asyncio: make it lazy='selectin' (a list) or "
            "lazy='write_only' and query it in async code"
            if lazy == "dynamic"
            else f"load it with the object (lazy='selectin') or await obj.awaitable_attrs.{name} first"
        )
    )


def _lazy_value(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value
    return node.value if isinstance(node, cst.Name) else None


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
