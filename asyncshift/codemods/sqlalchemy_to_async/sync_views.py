"""Class-based views Flask calls without awaiting stay sync; what they call that became a coroutine runs on the
event loop serving the request: ``return get_all_users(), 200`` -> ``return _on_serving_loop(get_all_users()), 200``.

A REST extension's ``Resource`` (flask-restx, Flask-RESTful, flask-restplus) and a ``flask.views`` View or
MethodView still standing after flask-to-fastapi (it keeps Resource modules on Flask, served by a Flask app in a
worker thread of the loop) are called by Flask, through decorators like ``marshal_with`` that read what the method
returns: an ``async def`` hands them a coroutine object. So their HTTP methods (and ``dispatch_request``), and
the wrappers of decorators applied to such methods only (``method_decorators = [auth_required]``), are held sync;
each call in them that gives a coroutine now is handed to a helper written into the module, which runs it on the
loop serving the request (whose pooled connections it needs, with the request's context) while the worker thread
waits; a sync value (a test's stand-in) passes through. A TODO says so at the first such line.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import view_decorators
from codemods.sqlalchemy_to_async.facts import FunctionFacts

HTTP_METHODS = {"get", "post", "put", "delete", "patch", "head", "options", "dispatch_request"}
FRAMEWORKS = {
    "flask_restx": "flask-restx",
    "flask_restplus": "flask-restplus",
    "flask_restful": "Flask-RESTful",
    "flask.views": "Flask",
}
VIEWS = ("Resource", "View", "MethodView")
REASON = "calls without awaiting (a class-based view)"
HELPER = "_on_serving_loop"
LOOP_KEY = "asyncshift.serving_loop"  # flask-to-fastapi's hosted Flask app puts the serving loop there
CODE = '''

def {name}(value):
    """What a call gave; a coroutine is run to its end on the event loop serving this request (written by asyncshift).

    Flask calls this view without awaiting it, in a worker thread of that loop (the Flask app flask-to-fastapi
    hosts): the thread waits while the loop, which holds the async engine's connections, runs it with the
    request's context. Flask served on its own: one loop of the app's, in a thread of its own.
    """
    import asyncio
    import inspect
    import threading

    import flask

    if not inspect.isawaitable(value):
        return value

    async def run():
        return await value

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        getattr(value, "close", lambda: None)()
        raise RuntimeError("a sync view cannot wait here for a coroutine: this thread runs an event loop")
    if not flask.has_app_context():
        return asyncio.run(run())
    loop = flask.request.environ.get("{key}") if flask.has_request_context() else None
    if loop is None or loop.is_closed():
        # TODO(asyncshift): Flask on its own: a task per call, so a task-scoped AsyncSession is one per call
        extensions = flask.current_app.extensions
        with extensions.setdefault("asyncshift.loop_lock", threading.Lock()):
            loop = extensions.get("asyncshift.loop")
            if loop is None:
                loop = extensions["asyncshift.loop"] = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="asyncshift-loop", daemon=True).start()
    return asyncio.run_coroutine_threadsafe(run(), loop).result()

'''


def held(project: Any, func: FunctionFacts) -> str | None:
    """Why ``func`` stays sync: an HTTP method of a class-based view Flask calls, or a decorator's wrapper around
    methods of such views only (``@auth`` on them, ``method_decorators = [auth]``), which Flask calls the same way."""
    if func.is_async:
        return None
    if func.cls and (func.name in HTTP_METHODS or _dispatched(project, func)):
        framework = framework_of(project, func.module, func.cls)
        return f"'{func.name}' is a method {framework} {REASON}" if framework else None
    if not func.parent or not any(d.rpartition(".")[2] == "wraps" for d in func.decorators):
        return None
    wrapped = [project.by_id(w) for w in sorted(view_decorators.wrapped_by(project).get(func.id, ()))]
    frameworks = [framework_of(project, w.module, w.cls) if w and w.cls else None for w in wrapped]
    if wrapped and all(frameworks) and any(w.name in HTTP_METHODS for w in wrapped):
        return f"'{func.name}' wraps methods {frameworks[0]} {REASON}"
    return None


def _dispatched(project: Any, func: FunctionFacts) -> bool:
    """A method of a view whose class or a base of the run has its own ``dispatch_request``, which may call any of
    them by name (a ModelResource's POST calls ``create``, or its default ``_create``): held as the HTTP methods."""
    return not func.name.startswith("__") and any(
        "dispatch_request" in c.methods for c in project.mro(func.module, func.cls)
    )


def framework_of(project: Any, module: str, cls: str) -> str | None:
    """The framework whose class-based view the class is (``Flask-RESTful``), from its lineage, or None."""
    for dotted in project.outside_bases(module, cls):
        where, _, name = dotted.rpartition(".")
        framework = FRAMEWORKS.get(where) or FRAMEWORKS.get(where.partition(".")[0]) if name in VIEWS else None
        if framework is not None:
            return framework
    return None


def calls_unknown_async(project: Any, func: FunctionFacts) -> bool:
    """A held view calling ``x.m()`` on a value of unknown type where every method ``m`` of the run became async
    (``unknown_receivers``): its module is rewritten though it may name nothing of SQLAlchemy (a Resource base)."""
    if REASON not in project.held_sync.get(func.id, ""):
        return False
    for expr in func.calls:
        if expr and expr[0] == "attr" and project.types.type_of(func.module, func.qualname, expr[1]) is None:
            methods = project.methods_named(expr[2])
            if methods and all(project.is_async(m.id) for m in methods):
                return True
    return False


def is_held_here(conv: Any) -> bool:
    """The function being rewritten is such a view's method (outside a lambda: a lambda's call stays as it is)."""
    return not conv.lambdas and REASON in conv.project.held_sync.get(conv.function_id or "", "")


def rerun(conv: Any, updated: cst.Call) -> cst.Call | None:
    """``_on_serving_loop(_on_serving_loop(call))``, a run before having written the outer one: one is enough."""
    return conv.helper_twice(updated, _helper(conv, write=False))


def on_serving_loop(conv: Any, label: str, call: cst.BaseExpression, reason: str | None = None) -> cst.Call:
    """``_on_serving_loop(call)``, the helper written into the module once, a TODO at the function's first (why it
    is sync: held, or ``reason``)."""
    name, reason = _helper(conv, write=True), reason or conv.project.held_sync[conv.function_id]
    noted = conv.__dict__.setdefault("serving_loop_noted", set())
    if conv.function_id not in noted:
        noted.add(conv.function_id)
        conv.todo(
            f"{reason}: {label} and the coroutines after it run on the event "
            f"loop serving the request ({name}) while this thread waits; end state: an async FastAPI route"
        )
    return cst.Call(cst.Name(name), args=[cst.Arg(call)])


def _helper(conv: Any, *, write: bool) -> str | None:
    """The helper's name here (written into the module once, when ``write``)."""
    return conv.module_helper("serving_loop", HELPER, lambda n: CODE.format(name=n, key=LOOP_KEY), write=write)
