"""Flask's ``request``, ``g``, ``session`` and ``current_app`` as proxies to the current request (or app context).

Code outside views (helpers, models, auth) reads them as in Flask; end state: pass ``request`` or use Depends.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import inspect
import sys
import types
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request

_SHARED = "_flask_compat_shared_context"  # a module of the process holding the variables below


def _shared(name: str) -> contextvars.ContextVar:
    """The process's one variable named so, for every copy of this package: a project converted in two runs (its
    package, then the ``run.py`` that builds the app) has two, and the request the middleware of one sets is the one
    the other's proxies read (a helper of the package handing ``request`` to ``render_template``)."""
    shared = sys.modules.setdefault(_SHARED, types.ModuleType(_SHARED))
    if not hasattr(shared, name):
        setattr(shared, name, contextvars.ContextVar(name))
    return getattr(shared, name)


_current: contextvars.ContextVar[Request] = _shared("flask_compat_request")
# set by the Flask-style test client while a test holding ``app.app_context()`` makes a request: Flask's client
# ran the request in that app context (one Flask-SQLAlchemy session for the test and its requests)
CALLER_CONTEXT = "flask_compat_caller_context"
# a list the Flask-style test client sets in a ``with client:`` block: the middleware adds each request it serves,
# which the test's proxies then read (Flask kept the last request's context until the next one or the block's end)
KEPT_REQUESTS = "flask_compat_kept_requests"


class _Proxy:
    def __init__(self, resolve: Callable[[], Any]):
        object.__setattr__(self, "_resolve", resolve)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._resolve(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._resolve(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._resolve(), name)

    def __getitem__(self, key: Any) -> Any:
        return self._resolve()[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._resolve()[key] = value

    def __delitem__(self, key: Any) -> None:
        del self._resolve()[key]

    def __contains__(self, key: Any) -> bool:
        return key in self._resolve()

    def __iter__(self):
        return iter(self._resolve())

    def __bool__(self) -> bool:
        try:
            found = self._resolve()
        except RuntimeError:  # Werkzeug's LocalProxy: unbound is false (``Limiter(app=current_app)``'s ``if app:``)
            return False
        return bool(found)

    # Werkzeug's LocalProxy compares, hashes and prints as the object: ``current_user != photo.author``
    def __eq__(self, other: object) -> bool:
        return self._resolve() == other

    def __ne__(self, other: object) -> bool:
        return self._resolve() != other

    def __hash__(self) -> int:
        return hash(self._resolve())

    def __str__(self) -> str:
        return str(self._resolve())

    def __repr__(self) -> str:
        try:
            return repr(self._resolve())
        except RuntimeError:
            return f"<{type(self).__name__} unbound>"

    def __len__(self) -> int:
        return len(self._resolve())

    def _get_current_object(self) -> Any:
        """Werkzeug's LocalProxy API: the object itself, for a thread where the proxy resolves to nothing."""
        return self._resolve()


def _request() -> Request:
    found = _current.get(None)
    if found is None:
        from .own_flask_context import own_request  # a test's own Flask request context

        found = own_request()
    if found is None:
        raise RuntimeError("Working outside of request context.")
    return found


class _G:
    """``flask.g`` on ``request.state``: attributes plus ``get``/``pop``/``setdefault``/``in``."""

    def __init__(self, data: dict):
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self._data[name] = value

    def __delattr__(self, name: str) -> None:
        del self._data[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self._data.get(name, default)

    def pop(self, name: str, *default: Any) -> Any:
        return self._data.pop(name, *default)

    def setdefault(self, name: str, default: Any = None) -> Any:
        return self._data.setdefault(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def __iter__(self):
        return iter(self._data)


_app_ctx: contextvars.ContextVar[tuple[FastAPI, dict]] = _shared("flask_compat_app")


class _AppContext:
    """Flask's ``app.app_context()``: ``g`` and ``current_app`` outside a request, by ``with`` or ``push()``/``pop()``.

    Teardown hooks run on exit, as Flask's did; unittest ``setUp``/``tearDown`` push and pop it by hand.
    """

    def __init__(self, app: FastAPI):
        self.app, self.g_data = app, {}
        self._tokens: list[Any] = []

    def push(self) -> None:
        from .face import flask_app_context

        shadow = flask_app_context(self.app, self.g_data)  # extensions reading flask.current_app and flask.g
        if shadow is None:  # the app's old tests: flask.url_for, flask.current_app and flask.g on a Flask twin
            from .flask_urls import twin_app_context

            shadow = twin_app_context(self.app, self.g_data) if hasattr(self.app, "import_name") else None
        if shadow is not None:
            shadow.push()
        self._tokens.append((_app_ctx.set((self.app, self.g_data)), shadow))

    def pop(self, exc: BaseException | None = None) -> None:
        if not self._tokens:
            raise RuntimeError("Popped an app context that was not pushed.")
        token, shadow = self._tokens.pop()
        try:
            for hook in self.app.hooks["teardown"]:
                if not _wants_request(hook):  # no request to give it
                    run_teardown(hook(exc))
        finally:
            if shadow is not None:
                shadow.pop()
            _reset(_app_ctx, token)

    def __enter__(self) -> _AppContext:
        self.push()
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self.pop(exc)


_TEARDOWNS: set = set()  # teardown tasks left on a running loop, kept until they end


def run_teardown(value: Any) -> None:
    """A teardown hook's coroutine from a sync ``pop()``, run to its end on a loop of its own in this context (the
    app context's ``db.session`` closed, as Flask-SQLAlchemy's teardown closed its session: skipped, a converted
    suite kept every test's session, connection and aiosqlite thread to the end); where a loop runs here (a pop
    in a coroutine), a task on that loop, which cannot be waited for."""
    if not inspect.iscoroutine(value):
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is not None:
        task = loop.create_task(value)
        _TEARDOWNS.add(task)
        task.add_done_callback(_TEARDOWNS.discard)
        return
    runner = asyncio.new_event_loop()
    try:
        runner.run_until_complete(value)
    finally:
        runner.run_until_complete(runner.shutdown_asyncgens())
        runner.close()


def _wants_request(fn: Callable) -> bool:
    try:
        return "request" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _reset(var: contextvars.ContextVar, token: Any) -> None:
    """Undo a ``set``; a pop from another context (a test framework's teardown) restores the old value there."""
    try:
        var.reset(token)
    except ValueError:
        if token.old_value is contextvars.Token.MISSING:
            var.set(None)
        else:
            var.set(token.old_value)


def _app_context(app: FastAPI) -> _AppContext:
    return _AppContext(app)


def share_caller_g(scope: dict) -> None:
    """A request run in the test's context (``CALLER_CONTEXT``: its ``app_context()`` or ``test_request_context()``)
    has that context's ``g``, as Flask's client ran it in that app context: ``request.state`` is its dict, so what the
    request's hooks put in ``g`` (``g.project`` a URL preprocessor loaded) the test reads after it, as in Flask."""
    caller = scope.get(CALLER_CONTEXT)
    if caller is None:
        return
    data = caller[1] if isinstance(caller, tuple) else caller.scope.setdefault("state", {})
    for key, value in (scope.get("state") or {}).items():  # the server's lifespan state
        data.setdefault(key, value)
    scope["state"] = data


def _context_data() -> dict:
    found = _current.get(None)
    if found is not None:
        return found.scope.setdefault("state", {})
    app_context = _app_ctx.get(None)
    if app_context is None:
        from .own_flask_context import own_g_data  # a test's own Flask app context

        data = own_g_data()
        if data is None:
            raise RuntimeError("Working outside of application context.")
        return data
    return app_context[1]


def _current_app() -> FastAPI:
    found = _current.get(None)
    if found is not None:
        return found.app
    app_context = _app_ctx.get(None)
    if app_context is None:
        raise RuntimeError("Working outside of application context.")
    return app_context[0]


request = _Proxy(_request)
g = _Proxy(lambda: _G(_context_data()))


def _session() -> Any:
    from .sessions import any_use_is_access

    found = _request().session
    if any_use_is_access():  # Flask >= 3.1.3: any use of ``session`` adds ``Vary: Cookie``
        with contextlib.suppress(AttributeError):  # a plain dict from another session middleware
            found.accessed = True
    return found


session = _Proxy(_session)
current_app = _Proxy(_current_app)
