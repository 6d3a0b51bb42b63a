"""``isinstance(x, AssociationProxy)`` on a class's association proxy, as SQLAlchemy before 1.3 answered it.

Since 1.3 ``Model.proxy`` is an ``AssociationProxyInstance`` (one per class), no longer the ``AssociationProxy``
itself, so the check is False under the 1.4 the async conversion moves a project to, and the code after it reads
what only a column or relationship has (a test suite's model factory: ``isinstance(col, AssociationProxy) or
col.impl.uses_objects``, AttributeError 'impl'). The check takes both classes.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async.conversion import Conversion

PROXY = "ref:sqlalchemy.ext.associationproxy.AssociationProxy"


def check(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.Call | None:
    """``isinstance(x, AssociationProxy)`` with ``AssociationProxyInstance`` beside it; None for any other call."""
    if conv.type_of(original.func) != "ref:builtins.isinstance" or len(original.args) != 2:
        return None
    kind = original.args[1]
    if kind.keyword is not None or kind.star or conv.type_of(kind.value) != PROXY:
        return None
    instance = cst.Name(conv.use("sqlalchemy.ext.associationproxy", "AssociationProxyInstance"))
    kinds = cst.Tuple([cst.Element(updated.args[1].value), cst.Element(instance)])
    return updated.with_changes(args=[updated.args[0], updated.args[1].with_changes(value=kinds)])
