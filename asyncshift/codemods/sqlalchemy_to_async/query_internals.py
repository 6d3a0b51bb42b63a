"""Private attributes of SQLAlchemy 1.3's ``Query`` that 1.4 dropped, read by the app: kept working, or a TODO.

The conversion needs SQLAlchemy 1.4+ (``sqlalchemy.ext.asyncio``), so an app pinned to 1.3 moves on, and code that
reads the legacy Query's internals (``q._entities``, ``q._group_by``, ``q._order_by``, ``q._criterion``...; a
count or paging helper looking at what the query selects) gets ``AttributeError`` where it worked. What 1.4 and 2.x
keep instead (``column_descriptions`` with ``_raw_columns``, ``_group_by_clauses``, ``whereclause``...) gives the
same values, so such a read becomes a call of a helper written into the module (SQLAlchemy's own API, nothing of the
toolkit's): it reads the attribute as before and only when it is not there, on a 1.4+ query, builds the 1.3 value
(``_entities`` as objects with 1.3's ``column``/``mapper``/``type``/``expr``/``entity_zero``). An attribute the module
assigns itself is its own and is left alone; the 1.3 internals with no such value get a TODO naming what changed.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import urls
from codemods.sqlalchemy_to_async.conversion import Conversion

HELPER = "_query_internal"
READ = {  # 1.3's Query attribute -> what the helper reads on 1.4+
    "_entities": "column_descriptions and _raw_columns",
    "_group_by": "_group_by_clauses",
    "_order_by": "_order_by_clauses",
    "_having": "_having_criteria",
    "_criterion": "whereclause",
    "_limit": "_limit_clause",
    "_offset": "_offset_clause",
    "_mapper_zero": "column_descriptions",
    "_entity_zero": "column_descriptions",
}
GONE = {  # 1.3's Query attributes 1.4 dropped with no value to give in their place
    "_join_entities",
    "_primary_entity",
    "_joinpoint",
    "_polymorphic_adapters",
    "_from_obj_alias",
    "_select_from_entity",
    "_only_return_tuples",
    "_populate_existing",
}
TODO = (
    "Query.{attr} is gone in SQLAlchemy 1.4 (the async conversion needs 1.4+): read what 1.4 keeps instead "
    "(column_descriptions, statement, _setup_joins...)"
)
CODE = '''

def {name}(query, attribute):
    """Query.<attribute> as SQLAlchemy < 1.4 had it, made from what 1.4+ keeps when the attribute is gone
    (written by asyncshift)."""
    try:
        return getattr(query, attribute)
    except AttributeError:
        if not hasattr(query, "_raw_columns"):
            raise
    import types

    import sqlalchemy

    if attribute in ("_entities", "_mapper_zero", "_entity_zero"):
        entities = []
        for described, column in zip(query.column_descriptions, query._raw_columns):
            entity = described.get("entity")
            zero = None if entity is None else sqlalchemy.inspect(entity, raiseerr=False)
            found = sqlalchemy.inspect(described["expr"], raiseerr=False)
            mapped = getattr(found, "is_mapper", False) or getattr(found, "is_aliased_class", False)
            values = dict(expr=described["expr"], type=described["type"], _label_name=described["name"])
            if mapped:  # 1.3's _MapperEntity: no column
                values.update(entity_zero=found, mapper=found.mapper, entities=[described["expr"]])
                values.update(is_aliased_class=found.is_aliased_class, selectable=found.selectable)
            else:  # 1.3's _ColumnEntity
                values.update(column=column, entity_zero=zero, mapper=getattr(zero, "mapper", None))
                values.update(entities=[] if zero is None else [zero])
            entities.append(types.SimpleNamespace(**values))
        if attribute == "_mapper_zero":
            return lambda: entities[0].mapper if entities else None
        if attribute == "_entity_zero":
            return lambda: entities[0].entity_zero if entities else None
        return entities
    if attribute in ("_group_by", "_order_by"):
        return list(getattr(query, attribute + "_clauses")) or False
    if attribute == "_having":
        return sqlalchemy.and_(*query._having_criteria) if query._having_criteria else None
    if attribute == "_criterion":
        return query.whereclause
    if attribute in ("_limit", "_offset"):
        clause = getattr(query, attribute + "_clause")
        return getattr(clause, "value", clause)
    raise AttributeError(attribute)

'''


def read(conv: Conversion, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression | None:
    """``q._entities`` -> ``_query_internal(q, "_entities")``; a TODO for a 1.3 internal with no 1.4 value."""
    attr = original.attr.value
    if (attr not in READ and attr not in GONE) or attr in _own(conv):
        return None
    if attr in GONE:
        conv.todo(TODO.format(attr=attr))
        return None
    if "query_internal" not in conv.helpers:
        name = urls.helper_name(conv, HELPER)
        conv.helpers["query_internal"] = (name, CODE.format(name=name))
        conv.notes.note(f"Query internals of SQLAlchemy 1.3 are read through {name}() (gone in 1.4)")
    name = conv.helpers["query_internal"][0]
    return cst.Call(cst.Name(name), args=[cst.Arg(updated.value), cst.Arg(cst.SimpleString(f'"{attr}"'))])


def _own(conv: Conversion) -> set[str]:
    """The attribute names the module assigns itself (``self._order_by = ...``, a class body's ``_entities = ...``):
    its own, not the Query's."""
    if conv.own_attributes is None:
        found: set[str] = set()

        def add(target: cst.BaseExpression, in_class: bool) -> None:
            if isinstance(target, cst.Attribute):
                found.add(target.attr.value)
            elif isinstance(target, cst.Name) and in_class:
                found.add(target.value)
            elif isinstance(target, (cst.Tuple, cst.List)):
                for element in target.elements:
                    add(element.value, in_class)

        class Targets(cst.CSTVisitor):
            def __init__(self) -> None:
                self.bodies: list[bool] = [False]  # each scope: a class body or not

            def visit_ClassDef(self, node: cst.ClassDef) -> None:
                self.bodies.append(True)

            def leave_ClassDef(self, node: cst.ClassDef) -> None:
                self.bodies.pop()

            def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
                self.bodies.append(False)

            def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
                self.bodies.pop()

            def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
                add(node.target, self.bodies[-1])

            def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
                add(node.target, self.bodies[-1])

            def visit_AugAssign(self, node: cst.AugAssign) -> None:
                add(node.target, self.bodies[-1])

        conv.module.visit(Targets())
        conv.own_attributes = found
    return conv.own_attributes


def only_columns(conv: Conversion, updated: cst.Call) -> cst.Call:
    """``q.statement.with_only_columns([count])``: on 1.3 the ORM's statement named its FROM itself and kept it; on
    1.4+ the FROM comes from the columns, so the count of an unfiltered query lost its table (``SELECT count(*)``,
    1). ``maintain_column_froms=True`` (1.4.23+) keeps it; the list becomes positional arguments (2.0 takes no list)."""
    func = updated.func
    if not (
        isinstance(func, cst.Attribute)
        and func.attr.value == "with_only_columns"
        and isinstance(func.value, cst.Attribute)
        and func.value.attr.value == "statement"
    ) or any(a.keyword is not None and a.keyword.value == "maintain_column_froms" for a in updated.args):
        return updated
    args = list(updated.args)
    if (
        len(args) == 1
        and not args[0].star
        and args[0].keyword is None
        and isinstance(args[0].value, (cst.List, cst.Tuple))
    ):
        args = [cst.Arg(e.value, star="*" if isinstance(e, cst.StarredElement) else "") for e in args[0].value.elements]
    keep = cst.ensure_type(cst.parse_expression("f(maintain_column_froms=True)"), cst.Call).args[0]
    conv.notes.note("Query.statement.with_only_columns(...) keeps its FROM on SQLAlchemy 1.4+ (maintain_column_froms)")
    return updated.with_changes(args=[*[a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in args], keep])
