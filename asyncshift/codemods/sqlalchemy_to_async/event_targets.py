"""SQLAlchemy's event registration (``event.listens_for(target, ...)`` / ``event.listen``) on what became async.

SQLAlchemy has no events on its asyncio objects (``listens_for(AsyncEngine, "connect")`` and
``listens_for(async_engine, "connect")`` raise "asynchronous events are not implemented"): a class target stays
the sync class (``transformer.EVENT_TARGETS``), an instance target goes on the sync object the async one wraps,
as SQLAlchemy's asyncio documentation has it ("Using events with the asyncio extension"): an engine's
``.sync_engine`` (engine, connection-pool and dialect events), a connection's ``.sync_connection``, a session's
``.sync_session``. A session factory (``sessionmaker`` become ``async_sessionmaker``, a scoped session) has no sync
object of its own: its sessions' sync class, ``class_.sync_session_class`` (``AsyncSession.sync_session_class``),
takes the listener, with a TODO (that is every session of the class, not only the factory's). A factory made in
the module with ``sync_session_class=`` (the way SQLAlchemy's documentation keeps listeners to one factory's
sessions: ``async_sessionmaker(sync_session_class=sessionmaker())``) has its sync side there: the listener goes on
``factory.kw["sync_session_class"]`` (a scoped session's ``session_factory.kw[...]``), with no TODO when that is a
sessionmaker (its sessions are the factory's), and the sessionmaker handed there stays sync (``kept_sync``: an
``async_sessionmaker`` there made every session an ``AsyncSession`` wrapping an ``AsyncSession``).

Registration reached through Flask-SQLAlchemy's ``db`` (``db.event.listens_for(...)``, or ``self.event`` in a
subclass of its ``SQLAlchemy``) is ``sqlalchemy.event``'s too (``through_db``)."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import libcst as cst

from codemods.sqlalchemy_to_async import sessions

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
SYNC_CLASS = "sync_session_class"
KW_KEY = f'["{SYNC_CLASS}"]'  # in a side: the subscript ``.kw["sync_session_class"]`` reads
CLASS_TODO = (
    "listener moved to the class this factory hands sync_session_class= (every session of that class now, not only"
    " this factory's): for this factory's alone, hand it a sessionmaker() and listen on that"
)


# the event API's calls naming a target: a listener removed (or looked for) on the class it was put on, which
# ``event.remove(AsyncSession, ...)`` is not ("No such event 'after_transaction_end' for target AsyncSession")
REGISTRATION = ("listens_for", "listen", "remove", "contains")


def through_db(func: cst.BaseExpression) -> bool:
    """``<anything>.event.listens_for`` / ``listen`` / ``remove`` / ``contains``."""
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value in REGISTRATION
        and isinstance(func.value, cst.Attribute)
        and func.value.attr.value == "event"
    )


def visit(conv: Conversion, node: cst.Call) -> None:
    """A registration call's target: an async object's sync side is noted for ``leave`` (a class is left alone)."""
    value = node.args[0].value
    if isinstance(value, cst.Attribute) and value.attr.value.startswith("sync_"):
        return  # already the sync side (or a dual helper's sync member)
    if isinstance(value, cst.Name) and value.value in _scan(conv).handed:
        return  # a sessionmaker handed to ``sync_session_class=``: it stays sync (``kept_sync``)
    kind = (conv.type_of(value) or "").removeprefix("sqla:")
    side = SYNC_SIDES.get(kind)
    if kind in ("factory", "scoped"):
        handed = _sync_class(conv, value, kind)
        if handed is not None:  # ``factory.kw["sync_session_class"]`` (``session_factory.kw[...]``)
            side = (*SYNC_SIDES[kind][:-2], "kw", KW_KEY)
            if not _is_factory(conv, handed):
                _scan(conv).class_todos.add(id(node))  # a Session class: every session of it
    if side is not None:
        conv.event_sides[id(node)] = side


def leave(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.Call:
    side = conv.event_sides.get(id(original))
    if side is None or not updated.args:
        return updated
    target = updated.args[0].value
    if side[-1] == SYNC_CLASS:
        conv.todo(FACTORY_TODO)
    elif side[-1] == KW_KEY and id(original) in _scan(conv).class_todos:
        conv.todo(CLASS_TODO)
    for attr in side:
        if attr == KW_KEY:
            key = cst.SubscriptElement(cst.Index(cst.SimpleString(f'"{SYNC_CLASS}"')))
            target = cst.Subscript(value=target, slice=[key])
        else:
            target = cst.Attribute(value=target, attr=cst.Name(attr))
    return updated.with_changes(args=[updated.args[0].with_changes(value=target), *updated.args[1:]])


# -- factories made with ``sync_session_class=`` in the module ----------------------------------------------------


class _Scan(cst.CSTVisitor):
    """One walk of the module: what each name is assigned (a call), and what is handed to ``sync_session_class=``."""

    def __init__(self) -> None:
        self.made: dict[str, list[cst.BaseExpression]] = {}  # name -> the values assigned to it
        self.handed: set[str] = set()  # names handed to ``sync_session_class=``
        self.handed_calls: set[int] = set()  # calls handed there, and calls assigned to those names
        self.class_todos: set[int] = set()  # registrations moved to a Session class handed there (``visit``)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.made.setdefault(target.target.value, []).append(node.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value == SYNC_CLASS:
            if isinstance(node.value, cst.Name):
                self.handed.add(node.value.value)
            elif isinstance(node.value, cst.Call):
                self.handed_calls.add(id(node.value))


_SCANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _scan(conv: Conversion) -> _Scan:
    scan = _SCANS.get(conv)
    if scan is None:
        scan = _SCANS[conv] = _Scan()
        conv.module.visit(scan)
        for name in scan.handed:
            scan.handed_calls.update(id(v) for v in scan.made.get(name, ()) if isinstance(v, cst.Call))
    return scan


def kept_sync(conv: Conversion, call: cst.Call) -> bool:
    """Whether ``call`` (a ``sessionmaker(...)``) is handed to ``sync_session_class=``, directly or through the one
    name it is assigned to: it makes the sync sessions an ``AsyncSession`` wraps, so it stays ``sessionmaker``."""
    return id(call) in _scan(conv).handed_calls


def _made(conv: Conversion, value: cst.BaseExpression) -> cst.Call | None:
    """The call ``value`` is, or the one call its name is assigned in this module."""
    if isinstance(value, cst.Name):
        made = _scan(conv).made.get(value.value, [])
        value = made[0] if len(made) == 1 else None
    return value if isinstance(value, cst.Call) else None


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    return next((a.value for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def _sync_class(conv: Conversion, value: cst.BaseExpression, kind: str) -> cst.BaseExpression | None:
    """What the factory ``value`` (a scoped session's factory, for ``scoped``) was made with as
    ``sync_session_class=``, where the module makes it; else None."""
    made = _made(conv, value)
    if made is not None and kind == "scoped":
        first = made.args[0] if made.args and made.args[0].keyword is None and not made.args[0].star else None
        factory = first.value if first is not None else _keyword(made, "session_factory")
        made = _made(conv, factory) if factory is not None else None
    if made is None:
        return None
    given = _keyword(made, "class_")
    if given is not None and _is_sessionmaker(conv, made) and sessions.sync_subclass(conv, given):
        return given  # ``sessionmaker(class_=AppSession)``: ``sync_session_class=AppSession`` now (``sessions``)
    return _keyword(made, SYNC_CLASS)


def _is_factory(conv: Conversion, value: cst.BaseExpression) -> bool:
    """A sessionmaker (its sessions are the factory's alone), not a Session class."""
    return (conv.type_of(value) or "").removeprefix("sqla:") == "factory" or _is_sessionmaker(conv, value)


def _is_sessionmaker(conv: Conversion, value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Call) and (conv.type_of(value.func) or "").removeprefix("ref:") in sessions.FACTORIES
