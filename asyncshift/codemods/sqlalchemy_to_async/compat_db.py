"""``compat.db.Database``, the toolkit's own engine and session holder: one object with a sync and an async
member for each use, so code typed with it converts by taking the async member of the same object.

``with database.unit_of_work() as session`` becomes ``async with database.async_unit_of_work() as session``
(the rules see a session there: ``sqla``), ``database.sync_sessions`` ``database.async_sessions``...
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async.conversion import Conversion

KIND = "database"  # its kind in ``sqla``'s tables
ASYNC_MEMBERS = {
    "unit_of_work": "async_unit_of_work",
    "sync_sessions": "async_sessions",
    "sync_engine": "async_engine",
    "dispose": "adispose",
}


def member(conv: Conversion, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute | None:
    """``database.unit_of_work`` on a ``Database`` -> ``database.async_unit_of_work``, else None."""
    name = updated.attr.value
    if name not in ASYNC_MEMBERS or conv.type_of(original.value) != f"sqla:{KIND}":
        return None
    return updated.with_changes(attr=cst.Name(ASYNC_MEMBERS[name]))
