"""A REST extension's Resource whose HTTP methods are coroutine functions, served by its own sync dispatch.

Flask-RESTful's ``Resource.dispatch_request`` (flask-restx's, flask-restplus's) calls the method through the class's
``method_decorators`` (``resp = meth(*args, **kwargs)``) and never awaits it, then hands what it got to the
representations and the ``Api``'s ``output`` (``unpack``, ``make_response``): an ``async def get`` answered a
coroutine object. ``awaited_methods(Resource)`` (written after the import in a module of Resources kept on Flask)
gives the extension's dispatch one more method decorator, outermost: a coroutine the method (or a decorator passing
its value on, ``login_required``) gives is run to its end on the event loop serving the request, whose pooled
connections the async engine needs, while Flask's worker thread waits; what comes back is the value Flask-RESTful
unpacks, marshals and represents as before. The Flask app's ``async_to_sync`` does the same, so a decorator calling
``current_app.ensure_sync(method)`` (Flask-Login's ``login_required``) runs it there too. A sync method's value passes.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
from collections.abc import Callable, Mapping
from typing import Any

MARK = "asyncshift_awaited_methods"


def awaited_methods(resource_class: type) -> type:
    """The extension's ``Resource`` class, its ``dispatch_request`` awaiting what the method gives (once)."""
    dispatch = resource_class.__dict__.get("dispatch_request") if isinstance(resource_class, type) else None
    if dispatch is None or resource_class.__dict__.get(MARK):
        return resource_class

    @functools.wraps(dispatch)
    def dispatch_request(self: Any, *args: Any, **kwargs: Any) -> Any:
        _app_runs_coroutines()
        decorators = getattr(self, "method_decorators", None)
        if decorators is not None and not getattr(decorators, MARK, False):
            self.method_decorators = _with_awaited(decorators)
        return on_serving_loop(dispatch(self, *args, **kwargs))  # a dispatch that reads no method_decorators

    resource_class.dispatch_request = dispatch_request
    setattr(resource_class, MARK, True)
    return resource_class


class _Listed(list):
    asyncshift_awaited_methods = True


class _ByMethod(dict):
    """Flask-RESTful's ``method_decorators = {"get": [...]}``: each method's list, the awaiting decorator last."""

    asyncshift_awaited_methods = True

    def get(self, key: Any, default: Any = None) -> Any:
        return [*(dict.get(self, key, default) or ()), awaited]


def _with_awaited(decorators: Any) -> Any:
    if isinstance(decorators, Mapping):
        return _ByMethod(decorators)
    return _Listed([*(decorators or ()), awaited])


def awaited(method: Callable[..., Any]) -> Callable[..., Any]:
    """The method as Flask-RESTful calls it, its coroutine run to its end (``functools.wraps``: flask-restx reads
    ``__apidoc__`` off it to validate the payload)."""

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        return on_serving_loop(method(*args, **kwargs))

    return call


def _app_runs_coroutines() -> None:
    """The Flask app's ``async_to_sync`` (what ``ensure_sync`` calls for a coroutine function) runs it on the serving
    loop: Flask's own needs asgiref and runs it on a loop of its own, where the engine's connections are not."""
    import flask

    app = flask.current_app._get_current_object()
    default = getattr(flask.Flask, "async_to_sync", None)
    if default is None or app.__dict__.get(MARK) or getattr(type(app), "async_to_sync", None) is not default:
        return
    app.__dict__[MARK] = True
    app.async_to_sync = lambda func: functools.wraps(func)(lambda *a, **k: on_serving_loop(func(*a, **k)))


def on_serving_loop(value: Any) -> Any:
    """A coroutine run to its end on the event loop serving this request (the Flask app flask-to-fastapi hosts puts it
    in the WSGI environ); Flask served on its own: one loop of the app's, in a thread of its own. Anything else passes.
    """
    import flask

    from .flask_hosted import SERVING_LOOP

    if not inspect.isawaitable(value):
        return value

    async def run() -> Any:
        return await value

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        getattr(value, "close", lambda: None)()
        raise RuntimeError("a sync dispatch cannot wait here for a coroutine: this thread runs an event loop")
    if not flask.has_app_context():
        return asyncio.run(run())
    if flask.has_request_context():  # the WSGI body is read from that loop: read here, not from the coroutine on it
        flask.request.get_data(cache=True, parse_form_data=True)
    loop = flask.request.environ.get(SERVING_LOOP) if flask.has_request_context() else None
    if loop is None or loop.is_closed():  # the keys sqlalchemy-to-async's ``_on_serving_loop`` uses: one loop
        extensions = flask.current_app.extensions
        with extensions.setdefault("asyncshift.loop_lock", threading.Lock()):
            loop = extensions.get("asyncshift.loop")
            if loop is None:
                loop = extensions["asyncshift.loop"] = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="asyncshift-loop", daemon=True).start()
    return asyncio.run_coroutine_threadsafe(run(), loop).result()
