"""``user.is_following(other)`` on a value of unknown type, where a method of that name in the run's classes
became async: awaited through ``_awaited`` where code can await (the value itself when it is no coroutine), run
to its end in a unittest test (``_run_to_end``) and on the serving loop in a view Flask calls
(``_on_serving_loop``) or in a sync helper only such views call (it runs in their thread), each giving a sync
value as it is; a TODO where none of these can be. So too where another class keeps a sync method of that name
(``add_label`` async on a model, sync on an event), and where the receiver is typed as a base of the run without
the method (``session.get(cls, key)`` in a base's classmethod: one of the classes built on it, a mixin's method):
the value may be any of them, and each of these serves all; left as it was, the coroutine was never awaited.

The receiver's type is often out of reach (``token_auth.current_user()``, a relationship read off a row the
session gave), while the method's name tells which classes of the run it can be. Names any builtin container
or SQLAlchemy object also has (``get``, ``update``, ``delete``...) tell nothing: left alone.

A name common elsewhere (``save``, ``delete``: a file's, a cache's) on such a value is awaited through
``_awaited`` in async code too when some class of the run made it async (a sync value passes as it is), a TODO
where async code cannot await (a lambda); sync code is left as it is (a Row's ``delete`` there is no model's), and
so are a method of the builtin containers (``get``, ``update``) and a known receiver.

Flask-Login's ``current_user`` is a proxy outside the run, so its type is known and tells nothing: the object
behind it is the user loader's, or the anonymous user, both classes of the run built on Flask-Login's
``UserMixin``/``AnonymousUserMixin``. Its calls are typed by those classes: awaited through ``_awaited`` when one
of them made the method async, even where another keeps it sync (``User.can`` querying the permissions beside a
``Guest.can`` answering False), since ``_awaited`` gives the sync one's value as it is.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import flask_db, function_nodes, handed_classes, sqla, sync_views, unittest_cases
from codemods.sqlalchemy_to_async.conversion import Conversion
from codemods.sqlalchemy_to_async.exprs import dotted, from_cst
from codemods.sqlalchemy_to_async.login_users import USER_BASES, is_login_proxy
from codemods.sqlalchemy_to_async.view_decorators import HELPER, through_awaited

BUILTIN = {n for kind in (dict, list, set, str, bytes, tuple, frozenset) for n in dir(kind) if not n.startswith("_")}
COMMON = (
    BUILTIN | {n for methods in sqla.IO_METHODS.values() for n in methods} | sqla.QUERY_BUILDERS | sqla.QUERY_TERMINALS
)
COMMON |= {"add", "add_all", "begin", "query", "save", "send", "run", "read", "write", "load", "dump", "open"}
COMMON |= {"post", "put", "patch", "head", "options", "route"}  # a router's (``@bp.post(...)``), a MethodView's


def owners(conv: Conversion, method: str) -> tuple[list[str], list[str]]:
    """``Class.method`` names made async, and those kept sync. Where both are found the receiver may be either:
    ``_awaited`` serves both (a sync value passes as it is), and where nothing can await a TODO names both."""
    project = conv.project
    found, kept = [], []
    for func in project.methods_named(method):
        (found if project.is_async(func.id) else kept).append(func.qualname)
    return sorted(found), sorted(kept)


def below(conv: Conversion, kind: str, method: str) -> tuple[list[str], list[str]]:
    """``Class.method`` names made async, and kept sync, among the classes built on ``kind``'s class, when neither it
    nor a base of the run has ``method``: a base's ``cls``/``self`` (``result = session.get(cls, key)`` in a base's
    classmethod) is one of those classes, which has it (a mixin's). Nothing for any other type."""
    project = conv.project
    module, _, qualname = kind.partition(":")[2].partition(":")
    facts = project.modules.get(module) if kind.startswith(("inst:", "class:")) else None
    if facts is None or qualname not in facts.classes:
        return [], []
    if any(method in c.methods or method in c.attrs for c in project.mro(module, qualname)):
        return [], []
    found, kept = set(), set()
    for cls in project.built_on(module, qualname):
        owner = next((c for c in project.mro(cls.module, cls.qualname) if method in c.methods), None)
        func = project.function(owner.module, f"{owner.qualname}.{method}") if owner else None
        if func is not None:
            (found if project.gives_coroutine(func.id) else kept).add(func.qualname)
    return sorted(found), sorted(kept)


def user_owners(conv: Conversion, method: str) -> list[str] | None:
    """``Class.method`` names made async among the run's Flask-Login user classes (a ``UserMixin`` or
    ``AnonymousUserMixin`` in their bases), their own or inherited (a ``CRUDMixin``'s ``delete``); None when
    the run has no such class."""
    project, users, found = conv.project, False, set()
    for module in project.modules.values():
        for cls in module.classes.values():
            lineage = project.mro(cls.module, cls.qualname)
            if not any((dotted(b) or "").rpartition(".")[2] in USER_BASES for c in lineage for b in c.bases):
                continue
            users = True
            owner = next((c for c in lineage if method in c.methods), None)
            func = project.function(owner.module, f"{owner.qualname}.{method}") if owner else None
            if func is not None and project.is_async(func.id):
                found.add(func.qualname)
    return sorted(found) if users else None


def held_callers(project: Any, function_id: str | None) -> list[str]:
    """The views held sync that call this sync function, when they are all the run's calls of it (its every caller
    is such a view, and nothing hands it on as a value); [] otherwise."""
    index = project.__dict__.get("_asyncshift_callers")
    if index is None:
        index = project.__dict__["_asyncshift_callers"] = {}
        for module in project.modules.values():
            sites = [(None, e, True) for e in module.module_calls]
            for f in module.functions.values():
                sites += [(f, e, True) for e in f.calls] + [(f, e, False) for e in f.references]
            for caller, expr, called in sites:
                scope = caller.qualname if caller else None
                found = project.types.type_of(module.name, scope, expr) or ""
                if found.startswith("func:"):
                    index.setdefault(found[5:], []).append(caller.id if caller and called else None)
    callers = index.get(function_id or "", [])
    held = [c for c in callers if c is not None and sync_views.REASON in project.held_sync.get(c, "")]
    return sorted({c.partition(":")[2] for c in held}) if callers and len(held) == len(callers) else []


def awaited_value(conv: Conversion, receiver: cst.BaseExpression) -> bool:
    """``x`` bound only as ``x = await f(...)`` in this function. The types read no await, so a value a run before
    typed by its call (``Thing.create()`` giving a Thing) is unknown to the next run, which must change nothing."""
    func = function_nodes.node(conv, conv.function) if isinstance(receiver, cst.Name) else None
    if func is None:
        return False
    values = [
        step.value
        for step in conv.bodies.of(func).steps
        if isinstance(step, cst.Assign) and any(dotted(from_cst(t.target)) == receiver.value for t in step.targets)
    ]
    return bool(values) and all(isinstance(v, cst.Await) for v in values)


def handed(node: cst.Call) -> set[int]:
    """The call inside ``_awaited(...)``, written by a run before: awaited there already."""
    if isinstance(node.func, cst.Name) and node.func.value == HELPER:
        return {id(a.value) for a in node.args}
    return set()


def awaited(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``x.method(...)`` awaited through ``_awaited`` (or a TODO) when ``x`` is unknown and ``method`` is only
    async in the run; None when the rule does not apply."""
    func = original.func
    held = sync_views.is_held_here(conv)  # a view Flask calls: a sync value passes _on_serving_loop as it is
    if not isinstance(func, cst.Attribute):
        return None
    common = func.attr.value in COMMON and not held  # ``current_user.delete()``: typed by the user classes
    if id(original) in conv.awaited or id(original) in conv.coroutine_args or conv.decorators:
        return None  # awaited already, handed to what takes a coroutine, or a decorator (run at definition)
    kind, kept = conv.type_of(func.value), []
    handed = [] if kind else handed_classes.async_methods(conv.project, conv.name, conv.function, from_cst(func))
    if handed:  # ``model_cls.get_by_id(1)``, each class handed known
        found = handed
    elif is_login_proxy(kind):
        found = user_owners(conv, func.attr.value)
        found = (None if common else owners(conv, func.attr.value)[0]) if found is None else found
    elif kind is not None and not common:  # ``result.has_permission()``, ``result`` a base's instance: its subclasses'
        found, kept = below(conv, kind, func.attr.value)
    elif kind is not None or (common and func.attr.value in BUILTIN):
        return None
    elif common:  # ``row.save()``, the row's type unknown: in async code, awaited if it is a coroutine
        async_code = not (conv.function_id is None or held) and conv.project.is_async(conv.function_id)
        methods = conv.project.methods_named(func.attr.value) if async_code else []
        found = sorted(f.qualname for f in methods if conv.project.is_async(f.id))
    else:  # ``sketch.add_label(...)``: async in one class of the run, perhaps sync in another
        found, kept = owners(conv, func.attr.value)
        if kept and awaited_value(conv, func.value):
            return None  # ``x = await Thing.create()``: a run before typed ``x`` and wrote the await
    if not found:
        return None
    receiver = conv.module.code_for_node(func.value)
    if held:  # ``obj.save()`` in a ModelResource's ``created``: never run, the row never saved (a 201 all the same)
        return sync_views.on_serving_loop(conv, f"{receiver}.{func.attr.value}()", updated)
    views = None if conv.awaitable() or conv.lambdas else held_callers(conv.project, conv.function_id)
    if views:  # ``_add_label(sketch, label)``, a helper of the view's ``post``: it runs in the view's thread
        reason = f"'{conv.function}' is called by {views[0]} only, which Flask calls without awaiting"
        return sync_views.on_serving_loop(conv, f"{receiver}.{func.attr.value}()", updated, reason)
    if unittest_cases.runs_here(conv):  # a unittest test: a sync value passes _run_to_end as it is
        return unittest_cases.run_to_end(conv, updated)
    wrapper = not conv.lambdas and conv.function_id in conv.project.async_wrappers  # made async after the pass
    if not (conv.awaitable() or wrapper):
        became = f"{found[0]} became async" + (f", {kept[0]} did not" if kept else "")
        conv.todo(
            f"{receiver}.{func.attr.value}() may be a coroutine now ({became}) and the type of "
            f"'{receiver}' is not known here; {conv.not_awaitable_reason()}: await it in async code if it is"
        )
        return updated
    return through_awaited(conv, updated)


def db_session(conv: Conversion, original: cst.Call) -> None:
    """``db.session.commit()`` where ``db`` is of unknown type (a parameter handed the app's ``db``, ``app.db``)
    in a run that converts Flask-SQLAlchemy's ``db``: a TODO, since on that ``db`` the call is a coroutine now
    (left un-awaited, it never runs: the rows are never saved)."""
    func = original.func
    if id(original) in conv.awaited or id(original) in conv.coroutine_args or not isinstance(func, cst.Attribute):
        return
    receiver = flask_db.unknown_db_session(conv.project, conv.name, conv.function, from_cst(func))
    if receiver is None:
        return
    name = conv.module.code_for_node(func.value.value)
    db = flask_db.dbs(conv.project)[0]
    conv.todo(
        f"the type of '{name}' is not known here: if it is Flask-SQLAlchemy's db ({db}), "
        f"{name}.session.{func.attr.value}() is a coroutine now: await it and make the function async"
    )
