"""The test's contexts around the Flask-style client's requests, as Flask's client had them.

Flask's client ran a request in the app context the test had pushed (its ``app.test_request_context()``, else its
``app.app_context()``): one Flask-SQLAlchemy session and one ``g`` for the test and its requests. The client hands
that context to the helper's middleware on the app (``CALLER_CONTEXT``).

In a ``with client:`` block Flask's client kept each request's context pushed until the next request or the block's
end: the test asserts on what the view left in ``session``, ``g`` or ``request`` (``client.post("/login")`` then
``assert "user" in session``). The client hands the middleware a list on the app (``KEPT_REQUESTS``) it adds each
request it serves to, and makes the last one the current request of the test's thread, which the helper's proxies
read, until the next request or the block's end. The names are ``_flask_compat.context``'s.

What the test reads through Flask's own names (``flask.request``, ``flask.session``, ``flask.g``, and what
extensions left on Flask read through them: Flask-Login's ``current_user`` after a login request, Flask-Principal's
``g.identity``) comes from Flask's contexts for that request on the Flask app standing for the converted one, pushed
as the helper's ``test_request_context()`` pushes them: its session and ``g`` are the request's.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import sys
from collections.abc import Iterator
from typing import Any

CALLER_CONTEXT = "flask_compat_caller_context"
KEPT_REQUESTS = "flask_compat_kept_requests"


def helper_context(app: Any) -> Any:
    """The app's own ``_flask_compat.context`` module (found from its middleware), None for another app."""
    for middleware in getattr(app, "user_middleware", []):
        if getattr(middleware.cls, "__name__", "") == "_FlaskContext":
            return sys.modules.get(middleware.cls.__module__.rpartition(".")[0] + ".context")
    return None


def caller_app_context(app: Any) -> Any:
    """The context this test pushed on the app's own helper, if any: its ``app.test_request_context()``, else its
    ``app.app_context()`` (the order the helpers' session scope reads them in)."""
    context = helper_context(app)
    if context is None:
        return None
    pushed = context._current.get(None)
    if pushed is not None and pushed.scope.get("app") is app:
        # a request a ``with client:`` block kept as current ran in the test's context: the next one runs there too
        # (Flask's requests all ran in the test's app context), not in the kept one's (a session of its own)
        return pushed.scope.get(CALLER_CONTEXT, pushed)
    found = context._app_ctx.get(None)
    return found if found is not None and found[0] is app else None


class RequestContexts:
    """The test's contexts for the requests of one client of ``app``; ``keeping`` in a ``with client:`` block."""

    def __init__(self, app: Any):
        self.app, self.keeping, self._token, self._flask = app, False, None, None
        self._where: Any = None  # the async test's context the kept request was made current in, else None
        self._pending: list[tuple[Any, Any, Any]] = []  # (token, Flask's contexts, where set) not undone yet
        self._kept: list[Any] = []  # the requests this block made current
        self._before: Any = None  # the current request before the block's first

    @contextlib.contextmanager
    def around(self) -> Iterator[None]:
        """One request: run in the test's app context; in a block, the test's current request after it."""
        caller, kept = caller_app_context(self.app), []
        if caller is not None:
            self.app.__dict__[CALLER_CONTEXT] = caller
        if self.keeping:
            self.app.__dict__[KEPT_REQUESTS] = kept
        try:
            yield
        finally:
            self.app.__dict__.pop(CALLER_CONTEXT, None)
            self.app.__dict__.pop(KEPT_REQUESTS, None)
        if kept:
            self.keep(kept[-1])

    def keep(self, request: Any) -> None:
        """``request`` the current request of the test's thread (None: the one it had before the block).

        The kept request is made current in the context the test's code runs in: a sync fixture's (the test thread's
        own), or an async test's (pytest-asyncio's, which it keeps for the async tests and fixtures of a loop's scope).
        A token is undone only where it was set: a request kept in one and replaced from the other stayed current
        there (the ``ValueError`` was passed over), so the next module's async fixtures ran in the last module's
        login request (its database session, on the app that module had made: 'no such table'). Each is now undone
        where it was set, as soon as this runs there (at once through the kept context of an async test), and a
        request of the block found current here is no longer current here."""
        context = helper_context(self.app)
        if self._token is not None or self._flask is not None:
            self._pending.append((self._token, self._flask, self._where))
        self._token, self._flask, self._where = None, None, None
        self._pending = [entry for entry in self._pending if not _undone(context, *entry)]
        current = context._current.get(None) if context is not None else None
        if current is not None and any(current is kept for kept in self._kept):
            context._current.set(self._before)  # undone where it was set, or to be: not this context's request
        if request is None or context is None:
            if not self.keeping and not self._pending:  # the block's end
                self._kept = []
            return
        if not self._kept:
            self._before = context._current.get(None)
        self._token, self._where = context._current.set(request), _live_context()
        self._kept.append(request)
        self._flask = FlaskContexts(self.app, context, request)
        self._flask.push()


def _live_context() -> Any:
    """The context the running task runs in (its ``get_context()``, Python 3.12+; before, the task itself), else None
    (the test thread's own)."""
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no loop runs here
        return None
    get_context = getattr(task, "get_context", None)
    return get_context() if get_context is not None else task


def _undone(context: Any, token: Any, flask: Any, where: Any) -> bool:
    """Undo a kept request where it was set: here, or in an async test's kept context; False while neither is so."""

    def undo() -> None:
        if flask is not None:
            flask.pop()
        if token is not None and context is not None:
            with contextlib.suppress(ValueError):  # its context is gone
                context._current.reset(token)

    if where is _live_context():
        undo()
        return True
    if where is None:  # the test thread's own context: undone when this runs there again
        return False
    if not isinstance(where, contextvars.Context):  # a task's, before Python 3.12: undone while it runs, or never
        return where.done()
    try:
        where.run(undo)
    except RuntimeError:  # that context runs now, in another thread: left as it is
        pass
    return True


class FlaskContexts:
    """Flask's app and request contexts for a served request on the Flask app standing for the converted one (the
    extensions' or the URL twin): its path, headers, client address and session; ``g`` is the request's."""

    def __init__(self, app: Any, context: Any, request: Any):
        self.scope = request.scope
        package = context.__name__.rpartition(".")[0]
        face, urls = sys.modules.get(package + ".face"), sys.modules.get(package + ".flask_urls")
        self.contexts = []
        if face is not None and urls is not None:
            self.contexts = [face.flask_app_context(app), urls.flask_request_context(app, request.scope)]
        self.contexts = [c for c in self.contexts if c is not None]

    def push(self) -> None:
        for context in self.contexts:
            context.push()
        flask_request = getattr(self.contexts[-1], "request", None) if self.contexts else None
        if flask_request is not None and "path_params" in self.scope:
            flask_request.__dict__["_asyncshift_scope"] = self.scope
            with contextlib.suppress(TypeError):  # a request class whose layout forbids it: view_args its own
                flask_request.__class__ = _sharing_view_args(type(flask_request))

    def pop(self) -> None:
        for context in reversed(self.contexts):
            with contextlib.suppress(Exception):  # popped by the test itself, or out of order
                context.pop()


_SHARING: dict = {}


def _sharing_view_args(kind: type) -> type:
    """``kind`` (Flask's request class) whose ``view_args`` are the served request's path parameters: what a test sets
    there (``monkeypatch.setattr("flask.request.view_args", {"id": 1})``) the converted code reads as
    ``request.path_params``, as the view's code read Flask's ``view_args``."""
    if kind not in _SHARING:

        def read(self: Any) -> Any:
            return self.__dict__["_asyncshift_scope"].get("path_params")

        def write(self: Any, value: Any) -> None:
            self.__dict__["_asyncshift_scope"]["path_params"] = value

        _SHARING[kind] = type(kind.__name__, (kind,), {"view_args": property(read, write)})
    return _SHARING[kind]
