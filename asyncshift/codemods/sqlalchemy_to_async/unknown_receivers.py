"""``user.is_following(other)`` on a value of unknown type, where the only methods of that name in the run's
classes became async: awaited through ``_awaited`` where code can await (the value itself when it is no
coroutine), a TODO where it cannot.

The receiver's type is often out of reach (``token_auth.current_user()``, a relationship read off a row the
session gave), while the method's name tells which classes of the run it can be. Names any builtin container
or SQLAlchemy object also has (``get``, ``update``, ``delete``...) tell nothing: left alone.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import sqla
from codemods.sqlalchemy_to_async.conversion import Conversion
from codemods.sqlalchemy_to_async.view_decorators import CODE, HELPER

COMMON = {n for kind in (dict, list, set, str, bytes, tuple, frozenset) for n in dir(kind) if not n.startswith("_")}
COMMON |= {n for methods in sqla.IO_METHODS.values() for n in methods} | sqla.QUERY_BUILDERS | sqla.QUERY_TERMINALS
COMMON |= {"add", "add_all", "begin", "query", "save", "send", "run", "read", "write", "load", "dump", "open"}
COMMON |= {"post", "put", "patch", "head", "options", "route"}  # a router's (``@bp.post(...)``), a MethodView's


def owners(conv: Conversion, method: str) -> list[str]:
    """``Class.method`` names made async, when no class of the run keeps a sync method of that name."""
    project = conv.project
    found, sync = [], False
    for func in project.methods_named(method):
        if project.is_async(func.id):
            found.append(func.qualname)
        else:
            sync = True
    return [] if sync else sorted(found)


def handed(node: cst.Call) -> set[int]:
    """The call inside ``_awaited(...)``, written by a run before: awaited there already."""
    if isinstance(node.func, cst.Name) and node.func.value == HELPER:
        return {id(a.value) for a in node.args}
    return set()


def awaited(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``x.method(...)`` awaited through ``_awaited`` (or a TODO) when ``x`` is unknown and ``method`` is only
    async in the run; None when the rule does not apply."""
    func = original.func
    if not isinstance(func, cst.Attribute) or func.attr.value in COMMON:
        return None
    if id(original) in conv.awaited or id(original) in conv.coroutine_args or conv.decorators:
        return None  # awaited already, handed to what takes a coroutine, or a decorator (run at definition)
    if conv.type_of(func.value) is not None:
        return None
    found = owners(conv, func.attr.value)
    if not found:
        return None
    receiver = conv.module.code_for_node(func.value)
    if not conv.awaitable():
        conv.todo(
            f"{receiver}.{func.attr.value}() may be a coroutine now ({found[0]} became async) and the type of "
            f"'{receiver}' is not known here; {conv.not_awaitable_reason()}: await it in async code if it is"
        )
        return updated
    helper = conv.helpers.get("awaited", (HELPER,))[0]
    conv.helpers.setdefault("awaited", (helper, CODE.format(name=helper)))
    return cst.Await(cst.Call(cst.Name(helper), args=[cst.Arg(updated)]))
