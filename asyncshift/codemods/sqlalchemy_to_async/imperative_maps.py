"""Relationships of an imperative (classical) mapping load with ``lazy="selectin"``: nothing else can fill them.

``mapper(Cls, table, properties={"batches": relationship(...)})`` (``registry.map_imperatively`` alike) puts the
relationship on a class no model declaration of the run names, so ``lazy_loads`` cannot add a ``selectinload``
to the query that loads it; and its reads sit in the domain model (``product.allocate(line)`` walking
``self.batches``), far from any query. Under an AsyncSession such a read is a lazy load: ``MissingGreenlet``.
Loaded with its object (``selectin``), the read finds it there. An explicit ``lazy=`` is kept as it is.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import sessions
from codemods.sqlalchemy_to_async.conversion import Conversion
from codemods.sqlalchemy_to_async.lazy_loads import RELATIONSHIPS

MAPPERS = {"ref:sqlalchemy.orm.mapper", "ref:sqlalchemy.orm.mapperlib.mapper"}


def eager(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.Call | None:
    """The mapping call with ``lazy="selectin"`` on each relationship of its ``properties``; None if none."""
    func = original.func
    imperative = isinstance(func, cst.Attribute) and func.attr.value == "map_imperatively"
    if not imperative and conv.type_of(func) not in MAPPERS:
        return None
    index = next((i for i, a in enumerate(updated.args) if a.keyword and a.keyword.value == "properties"), None)
    properties = updated.args[index].value if index is not None else None
    if not isinstance(properties, cst.Dict):
        return None
    elements, names = [], []
    for element in properties.elements:
        value = element.value if isinstance(element, cst.DictElement) else None
        if (
            isinstance(value, cst.Call)
            and conv.type_of(value.func) in RELATIONSHIPS
            and not any(a.keyword and a.keyword.value == "lazy" for a in value.args)
        ):
            element = element.with_changes(value=sessions._with_keyword(value, "lazy", '"selectin"'))
            names.append(conv.module.code_for_node(element.key))
        elements.append(element)
    if not names:
        return None
    conv.notes.note(f"lazy='selectin' for {', '.join(names)}: read outside any query, lazy loads fail under asyncio")
    args = list(updated.args)
    args[index] = args[index].with_changes(value=properties.with_changes(elements=elements))
    return updated.with_changes(args=args)
