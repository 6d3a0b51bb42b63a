"""SQLAlchemy's event registration (``event.listens_for(target, ...)`` / ``event.listen``) on what became async.

SQLAlchemy has no events on its asyncio objects (``listens_for(AsyncEngine, "connect")`` and
``listens_for(async_engine, "connect")`` raise "asynchronous events are not implemented"): a class target stays
the sync class (``transformer.EVENT_TARGETS``), an instance target goes on the sync object the async one wraps,
as SQLAlchemy's asyncio documentation has it ("Using events with the asyncio extension"): an engine's
``.sync_engine`` (engine, connection-pool and dialect events), a connection's ``.sync_connection``, a session's
``.sync_session``. A session factory (``sessionmaker`` become ``async_sessionmaker``, a scoped session) has no sync
object of its own: its sessions' sync class, ``class_.sync_session_class`` (``AsyncSession.sync_session_class``),
takes the listener, with a TODO (that is every session of the class, not only the factory's).

Registration reached through Flask-SQLAlchemy's ``db`` (``db.event.listens_for(...)``, or ``self.event`` in a
subclass of its ``SQLAlchemy``) is ``sqlalchemy.event``'s too (``through_db``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    from codemods.sqlalchemy_to_async.conversion import Conversion

# kind of the async object -> the attribute holding the sync one events go on
SYNC_SIDES = {"engine": ("sync_engine",), "connection": ("sync_connection",), "session": ("sync_session",)}
SYNC_SIDES |= {"factory": ("class_", "sync_session_class")}
SYNC_SIDES |= {"scoped": ("session_factory", "class_", "sync_session_class")}
FACTORY_TODO = (
    "listener moved to the sessions' sync class (every session of it now, not only this factory's): for this"
    " factory's alone, listen on a sessionmaker() handed to async_sessionmaker(sync_session_class=...)"
)


def through_db(func: cst.BaseExpression) -> bool:
    """``<anything>.event.listens_for`` / ``<anything>.event.listen``."""
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value in ("listens_for", "listen")
        and isinstance(func.value, cst.Attribute)
        and func.value.attr.value == "event"
    )


def visit(conv: Conversion, node: cst.Call) -> None:
    """A registration call's target: an async object's sync side is noted for ``leave`` (a class is left alone)."""
    value = node.args[0].value
    if isinstance(value, cst.Attribute) and value.attr.value.startswith("sync_"):
        return  # already the sync side (or a dual helper's sync member)
    side = SYNC_SIDES.get((conv.type_of(value) or "").removeprefix("sqla:"))
    if side is not None:
        conv.event_sides[id(node)] = side


def leave(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.Call:
    side = conv.event_sides.get(id(original))
    if side is None or not updated.args:
        return updated
    target = updated.args[0].value
    for attr in side:
        target = cst.Attribute(value=target, attr=cst.Name(attr))
    if side[-1] == "sync_session_class":
        conv.todo(FACTORY_TODO)
    return updated.with_changes(args=[updated.args[0].with_changes(value=target), *updated.args[1:]])
