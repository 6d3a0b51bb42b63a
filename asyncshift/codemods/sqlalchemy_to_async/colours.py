"""Which functions become ``async def``: those doing database I/O, then every caller, up to the entry points.

A fixpoint over the run's call graph. Methods that override one another share a colour; a function Python
calls without awaiting (``__init__``, properties, dunders) is held sync with the reason; a bridge
(``asyncio.run`` inside) becomes async only when something async calls it.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async import (
    async_dunders,
    cached_functions,
    click_commands,
    dispatch,
    dual_members,
    flask_db,
    form_validators,
    handed_classes,
    jinja_loaders,
    manager_aliases,
    mixed_receivers,
    mocks,
    patched_twins,
    rendered_queries,
    sqla,
    stand_ins,
    sync_views,
    test_clients,
    threads,
    thunks,
    unittest_cases,
)
from codemods.sqlalchemy_to_async.exprs import Expr
from codemods.sqlalchemy_to_async.facts import FunctionFacts
from codemods.sqlalchemy_to_async.library_callbacks import REGISTRARS, base_held, wrapper_held

REQUESTS_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "request"}
ASYNC_DUNDERS = {"__aenter__", "__aexit__", "__aiter__", "__anext__", "__await__", "__call__"}
XUNIT_HOOKS = {"setup_method", "teardown_method", "setup_class", "teardown_class", "setup_function"}
XUNIT_HOOKS |= {"teardown_function", "setup_module", "teardown_module", "setUp", "tearDown"}
PROPERTIES = {"property", "functools.cached_property", "cached_property"}
# Decorators registering a function that its library calls without awaiting: Jinja's context processors,
# filters, globals and tests (Flask's and blueprints'), Flask-Login's loaders.
SYNC_REGISTRARS = {"context_processor", "app_context_processor", "shell_context_processor", "template_filter"}
SYNC_REGISTRARS |= {"app_template_filter", "template_global", "app_template_global", "template_test"}
SYNC_REGISTRARS |= {"app_template_test", "user_loader", "request_loader", "header_loader", "token_loader"}
# marshmallow's hooks (and SQLAlchemy's ``@validates``): called while (de)serialising or setting, never awaited
SYNC_REGISTRARS |= {"validates", "validates_schema", "pre_load", "post_load", "pre_dump", "post_dump"}
SYNC_REGISTRARS |= REGISTRARS  # Flask-JWT-Extended's loaders, Flask-Babel's selectors (library_callbacks)
# Flask's URL processors: url_for and the request cycle call them without awaiting
SYNC_REGISTRARS |= {"url_defaults", "app_url_defaults", "url_value_preprocessor", "app_url_value_preprocessor"}


def classify(project: Any, module: str, function: str | None, callee: Expr, *, in_with: bool = False) -> tuple:
    """What a call is: ("io", method), ("call", id), ("cm", id), ("bridge", how), ("sleep",), ("requests", m),
    ("mixed", coroutine class, sync class) (``mixed_receivers``)."""
    if callee is None:
        return ()
    if callee[0] == "attr" and callee[2] == "run_until_complete":
        return ("bridge", "run_until_complete")
    if test_clients.request(project, module, function, callee):
        return ("io", "client")  # a request on Starlette's TestClient, an httpx AsyncClient now
    found = project.types.type_of(module, function, callee)
    if found is None:
        return ()
    if found.startswith("sqlmethod:"):
        _, kind, method = found.split(":")
        if method in sqla.IO_METHODS.get(kind, ()) or ((kind, method) in sqla.STARTABLE and not in_with):
            return ("io", method)
        if (
            kind == "query"
            and method in sqla.FLASK_TERMINALS
            and flask_db.rooted_at_db(project, module, function, callee)
        ):
            return ("io", method)
        return ()
    if found.startswith("func:"):
        if dual_members.call_kind(project, module, function, callee) == "coroutine":
            return ("io", callee[2])  # ``db.dispose()`` beside ``async def adispose``: awaited as that
        mixed = mixed_receivers.disagreement(project, module, function, callee)
        if mixed is not None:
            return ("mixed", *mixed)  # a coroutine for one class the receiver may be and not another
        target = project.by_id(found[5:])
        if target is not None and project.types.is_context_manager(target):
            return ("cm", found[5:])
        if target is not None and _runs_a_coroutine(project, target):
            return ("bridge", "runner")
        return ("call", found[5:])
    if found.startswith("class:"):
        init = async_dunders.constructor(project, found)
        return ("call", init) if init else ()  # built with ``await Cls.create_async(...)`` now
    if found == "ref:asyncio.run":
        return ("bridge", "asyncio.run")
    if found == "ref:time.sleep":
        return ("sleep",)
    if found.startswith("ref:requests.") and found[13:] in REQUESTS_METHODS:
        return ("requests", found[13:])
    return ()


AWAITABLES = {"typing.Awaitable", "typing.Coroutine", "collections.abc.Awaitable", "collections.abc.Coroutine"}


def _runs_a_coroutine(project: Any, func: FunctionFacts) -> bool:
    """``def run_async(coro: Awaitable[T], ...) -> T``: a sync function that runs a coroutine to its end (on a
    loop of its own or a background one). Inside a coroutine, ``await coro`` does that."""
    if func.is_async or not func.params:
        return False
    names = list(func.params)[1 if func.cls and "staticmethod" not in func.decorators else 0 :]
    annotation = func.params[names[0]] if names else None
    if annotation and annotation[0] == "generic":
        annotation = annotation[1]
    found = project.types.type_of(func.module, None, annotation) if annotation else None
    return found in {f"ref:{name}" for name in AWAITABLES}


def async_context(project: Any, module: str, function: str | None, manager: Expr) -> bool:
    """Whether ``with manager`` becomes ``async with``: a session, connection or transaction, or our own."""
    found = project.types.type_of(module, function, manager)
    if found and found.startswith("sqla:") and found[5:] in sqla.ASYNC_CONTEXT:
        return True
    if found and found.startswith("acm:"):
        return True  # typed by an alias whose factory became async (``manager_aliases``)
    if test_clients.entered(project, module, function, manager):
        return True  # ``with TestClient(app)``: the AsyncClient it became is entered with ``async with``
    if manager and manager[0] == "call" and dual_members.call_kind(project, module, function, manager[1]) == "cm":
        return True  # ``with db.unit_of_work()`` beside an async ``async_unit_of_work``: entered as that
    if found and found.startswith("inst:") and async_dunders.entered_with_await(project, found):
        return True  # a class of the run whose ``__enter__`` became ``__aenter__``
    if manager and manager[0] == "call":
        what = classify(project, module, function, manager[1], in_with=True)
        return bool(what) and what[0] == "cm" and project.is_async(what[1])
    return False


def held_sync_reason(func: FunctionFacts) -> str | None:
    """Why Python itself would call this function without awaiting it, if it would."""
    name = func.name
    if func.cls and name.startswith("__") and name.endswith("__") and name not in ASYNC_DUNDERS:
        return f"'{name}' is called by Python, which does not await it"
    if name in XUNIT_HOOKS:
        return f"'{name}' is called by pytest, which does not await it (an async autouse fixture can)"
    if any(d in PROPERTIES or d.endswith((".setter", ".getter", ".deleter")) for d in func.decorators):
        return f"'{name}' is a property, which cannot be awaited"
    registrar = next((d for d in func.decorators if d.rpartition(".")[2] in SYNC_REGISTRARS), None)
    if registrar:
        return f"'{name}' is registered with @{registrar}, whose caller does not await it"
    return None


def _awaits(project: Any, func: FunctionFacts) -> bool:
    """Whether anything in the body must be awaited once the run is over."""
    for callee in func.calls:
        what = classify(project, func.module, func.qualname, callee)
        if what and what[0] == "io":
            return True
        if what and what[0] == "call" and what[1] in project.becoming_async:
            target = project.by_id(what[1])
            if target is not None and not target.is_generator:
                return True
    if any(handed_classes.async_methods(project, func.module, func.qualname, c) for c in func.calls):
        return True  # ``model_cls.get_by_id(1)``, every class handed to ``model_cls`` known, one's async
    if threads.starts_task(project, func):
        return True  # a thread of it runs a coroutine function now: a task, which needs the running loop
    if any(c[0] == "name" and (func.id, c[1]) in project.coroutine_params for c in func.calls):
        return True  # ``read()`` of a parameter handed lambdas that return coroutines now (``thunks``)
    if dispatch.awaits(project, func.id):
        return True  # ``handler(event)`` may call a coroutine function from a table of handlers (``dispatch``)
    binds = {project.types.type_of(func.module, func.qualname, e) for e in func.metadata_binds}
    if binds & {"sqla:engine", "sqla:connection"}:
        return True
    if any(project.types.type_of(func.module, func.qualname, e) == "sqla:query" for e in func.iterated):
        return True  # ``for x in session.query(X)``: executed with await once rewritten
    if rendered_queries.hands_to_template(project, func):
        return True  # ``render_template(..., entries=query)``: executed with await where it is handed over
    return any(async_context(project, func.module, func.qualname, item) for item in func.with_items)


def colour(project: Any) -> None:
    functions = [f for m in project.modules.values() for f in m.functions.values()]
    for func in functions:
        reason = held_sync_reason(func) or click_commands.held(project, func) or unittest_cases.held(project, func)
        reason = reason or sync_views.held(project, func) or form_validators.held(project, func)
        reason = reason or jinja_loaders.held(project, func) or cached_functions.held(func) or base_held(project, func)
        reason = reason or wrapper_held(project, func)  # ``@responses.activate``'s sync wrapper
        if not reason and dual_members.held(project, func):
            reason = dual_members.held(project, func)
            project.pair_held.add(func.id)
        if reason:
            project.held_sync[func.id] = reason
        for callee in func.calls:
            what = classify(project, func.module, func.qualname, callee)
            if what and what[0] in ("call", "cm"):
                project.callers.setdefault(what[1], set()).add(func.id)
            project.does_io = project.does_io or what[:1] == ("io",)
        project.does_io = project.does_io or rendered_queries.hands_to_template(project, func)
    for module in project.modules.values():
        for scope, callback, where in module.callbacks:
            found = project.types.type_of(module.name, scope, callback)
            if threads.may_become_task(project, module.name, scope, callback):
                continue  # the thread may become a task, its target a coroutine function (``threads``)
            if found and found.startswith("func:") and found[5:] not in project.held_sync:
                name = found.rpartition(":")[2].rpartition(".")[2]
                project.held_sync[found[5:]] = f"'{name}' is handed to {where}"
    bridges = [f for f in functions if any(c and c[0] == "attr" and c[2] == "run_until_complete" for c in f.calls)]
    bridges += [f for f in functions if f not in bridges and _calls_bridge(project, f)]
    changed = True
    while changed:
        changed = False
        params = thunks.coroutine_params(project, functions, lambda f, body: _is_coroutine_call(project, f, body))
        aliases = manager_aliases.async_aliases(project, functions)
        changed = params != project.coroutine_params or aliases != project.async_aliases
        changed = async_dunders.promote(project, functions, _awaits) or changed
        if aliases != project.async_aliases:
            project.types.forget()
        project.coroutine_params, project.async_aliases = params, aliases
        for func in functions:
            if func.is_async or func.id in project.becoming_async or func.id in project.held_sync:
                continue
            if _awaits(project, func) or (func in bridges and _called_from_async(project, func)):
                project.becoming_async.add(func.id)
                changed = True
        changed = _share_colour_with_overrides(project, functions) or changed
        changed = dispatch.colour(project) or changed
        standing_in = stand_ins.made_async(project) - project.becoming_async
        project.becoming_async.update(standing_in)
        changed = changed or bool(standing_in)
    project.loop_bound.update(
        f.id
        for f in functions
        if f not in bridges and not f.is_async and f.id not in project.becoming_async and _touches_loop(project, f)
    )
    project.stand_in_values = stand_ins.values(project)
    project.session_mocks.update(mocks.find(project, functions))
    project.involved.update(_involved(project))
    project.involved.update(project.modules[f.partition(":")[0]].relative for f, _ in project.session_mocks)
    project.involved.update(
        m.relative for m in project.modules.values() if any(map(_replaces_async(project), m.patched))
    )
    project.involved.update(_patching(project), patched_twins.mark(project))


def _is_coroutine_call(project: Any, func: FunctionFacts, callee: Expr) -> bool:
    """Whether calling ``callee`` in ``func`` gives a coroutine once the run is over."""
    if callee is None:
        return False
    what = classify(project, func.module, func.qualname, callee)
    if what and what[0] == "io":
        return True
    if what and what[0] == "call" and project.is_async(what[1]):
        target = project.by_id(what[1])
        return target is not None and not target.is_generator
    return False


def _patching(project: Any) -> set[str]:
    """Tests patching a class whose methods became async (``@patch("a.b.Repo")``, ``with patch(...) as repo_class``),
    though they call nothing that did (a command line's runner): its mock gets ``AsyncMock``s (``mocks``)."""
    check = _replaces_async(project)
    return {
        m.relative
        for m in project.modules.values()
        if any(check(p) for f in m.functions.values() for p in [*f.patches, *f.with_patches.values()] if p)
    }


def _replaces_async(project: Any):
    def check(path: str) -> bool:
        kind = project.types.dotted(path)
        return bool(kind and kind.startswith("class:") and mocks.async_methods(project, "inst:" + kind[6:]))

    return check


LOOP_CALLS = {"ref:asyncio.all_tasks", "ref:asyncio.get_event_loop", "ref:asyncio.new_event_loop"}
LOOP_CALLS |= {"ref:asyncio.set_event_loop"}


def _touches_loop(project: Any, func: FunctionFacts) -> bool:
    """A sync function that reaches for "the" event loop (``asyncio.all_tasks()`` to cancel them, a loop of
    its own): called from a coroutine it would find that coroutine's loop, so it runs in a thread instead."""
    return any(project.types.type_of(func.module, func.qualname, c) in LOOP_CALLS for c in func.calls)


def _calls_bridge(project: Any, func: FunctionFacts) -> bool:
    return any(classify(project, func.module, func.qualname, c)[:1] == ("bridge",) for c in func.calls)


def _called_from_async(project: Any, func: FunctionFacts) -> bool:
    return any(project.is_async(caller) for caller in project.callers.get(func.id, ()))


def _share_colour_with_overrides(project: Any, functions: list[FunctionFacts]) -> bool:
    """A method made async makes the same method async in the classes above and below it in the run. A sync
    member of a pair is no exception: code typed with the base awaits it (``dual_members``)."""
    changed = False
    for func in functions:
        if not func.cls or func.id in project.becoming_async or func.is_async:
            continue
        if func.id in project.held_sync and func.id not in project.pair_held:
            continue
        for other in _relatives(project, func):
            if other.id in project.becoming_async:
                project.held_sync.pop(func.id, None)
                project.pair_held.discard(func.id)
                project.becoming_async.add(func.id)
                changed = True
                break
    return changed


def _relatives(project: Any, func: FunctionFacts) -> list[FunctionFacts]:
    """The same method name in the class's bases and in the classes built on it."""
    found = []
    for module in project.modules.values():
        for cls in module.classes.values():
            if func.name not in cls.methods or (cls.module, cls.qualname) == (func.module, func.cls):
                continue
            lineage = {(c.module, c.qualname) for c in project.mro(cls.module, cls.qualname)}
            mine = {(c.module, c.qualname) for c in project.mro(func.module, func.cls)}
            if (func.module, func.cls) in lineage or (cls.module, cls.qualname) in mine:
                found.append(module.functions[f"{cls.qualname}.{func.name}"])
    return found


def _involved(project: Any) -> set[str]:
    """Files to rewrite though they may not mention SQLAlchemy: they define or call what became async."""
    found = set()
    for module in project.modules.values():
        calls = [(None, c) for c in module.module_calls]
        calls += [(f.qualname, c) for f in module.functions.values() for c in f.calls]
        refs = [(f.qualname, r) for f in module.functions.values() for r in f.references]
        if (
            any(f.id in project.becoming_async for f in module.functions.values())
            or any(_reaches_async(project, module.name, scope, expr) for scope, expr in calls + refs)
            or any(_behind_unknown(project, module.name, scope, e) for scope, e in calls)
            or any(_session_handed_in(project, f) for f in module.functions.values())
            or any(sync_views.calls_unknown_async(project, f) for f in module.functions.values())
            or any(_on_flask_db(project, module.name, scope, expr) for scope, expr in calls)
            or (project.does_io and any(_test_client(project, module.name, scope, e) for scope, e in calls))
        ):
            found.add(module.relative)
    return found


def _test_client(project: Any, module: str, scope: str | None, expr: Expr) -> bool:
    """A call making Starlette's ``TestClient``: its line gets a TODO (``test_clients``)."""
    return project.types.type_of(module, scope, expr) in test_clients.CLIENTS


def _on_flask_db(project: Any, module: str, scope: str | None, expr: Expr) -> bool:
    """A call on Flask-SQLAlchemy's ``db`` or a ``Model.query`` chain: converted, or kept with a TODO, even in a
    module that never names SQLAlchemy (``Item.query.with_parent(user).count()`` in a template context)."""
    depth, unknown, start = 0, flask_db.unknown_model_query(project, module, scope, expr), expr  # type(x).query
    while expr and expr[0] in ("attr", "call") and depth < 16:
        if expr[0] == "attr" and expr[2] in ("query", "session"):
            if project.types.type_of(module, scope, expr[1]) == "sqla:flask_db" or (
                expr[2] == "query" and project.types.type_of(module, scope, expr) == "sqla:query"
            ):
                return True
        expr, depth = expr[1], depth + 1
    return unknown is not None or flask_db.unknown_db_session(project, module, scope, start) is not None


def _reaches_async(project: Any, module: str, scope: str | None, expr: Expr) -> bool:
    found = project.types.type_of(module, scope, expr)
    if found and found.startswith("class:"):  # built with ``await Cls.create_async(...)`` now
        return async_dunders.constructor(project, found) is not None
    return bool(found and found.startswith("func:") and found[5:] in project.becoming_async)


def _behind_unknown(project: Any, module: str, scope: str | None, expr: Expr) -> bool:
    """``x.users.get()`` where ``x`` is unknown and some class keeps an async ``get`` as ``users``."""
    if not (expr and expr[0] == "attr" and expr[1] and expr[1][0] == "attr"):
        return False
    if project.types.type_of(module, scope, expr[1]) is not None:
        return False
    return bool(project.async_methods_behind(expr[1][2], expr[2]))


def _session_handed_in(project: Any, func: FunctionFacts) -> bool:
    """A value of unknown type handed to a parameter that is a session (a TODO in the rewriting pass)."""
    for callee, positional, keywords in func.arguments:
        places = [(i, None, v) for i, v in enumerate(positional)] + [(None, k, v) for k, v in keywords]
        for index, keyword, value in places:
            if (
                value
                and value[0] in ("name", "attr")
                and project.types.type_of(func.module, func.qualname, value) is None
            ):
                if project.types.parameter(func.module, func.qualname, callee, index, keyword) == "sqla:session":
                    return True
    return False
