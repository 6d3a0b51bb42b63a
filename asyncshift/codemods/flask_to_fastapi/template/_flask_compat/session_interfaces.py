"""An app's own Flask session interface (``self.session_interface = ServerSideSessions()``) on the FastAPI app.

A Flask app that keeps its sessions elsewhere than in Flask's signed cookie (a server-side store keyed by a
signed session id, Flask-Session's interfaces) sets ``app.session_interface``; its session class has what Flask's
has not (``session.regenerate()``, ``session.sid``). Its ``open_session`` and ``save_session`` run here as Flask
ran them: with the Flask app behind the extensions (``session_cookie_name``, ``permanent_session_lifetime``, the
app's config) in its app context, a Werkzeug request built from the scope, and a Werkzeug response whose
``Set-Cookie`` and ``Vary`` headers go on the answer. Flask's own cookie interface stays the helper's
(``sessions``). End state: a Starlette middleware doing what the interface does.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection


def own_interface(app: Any) -> Any:
    """The app's own session interface, or None (none set, or Flask's signed-cookie one: the helper's)."""
    interface = getattr(app, "session_interface", None)
    if not (callable(getattr(interface, "open_session", None)) and callable(getattr(interface, "save_session", None))):
        return None
    try:
        from flask.sessions import SecureCookieSessionInterface
    except ImportError:  # no Flask left: whatever the app set is its own
        return interface
    return None if type(interface) is SecureCookieSessionInterface else interface


def _flask_app(app: Any) -> tuple[Any, Any]:
    """The Flask app behind the extensions, and its app context (the interface's store may read current_app)."""
    from .face import flask_app_context
    from .flask_request import _shadow

    shadow = _shadow(app)
    return shadow, flask_app_context(app) or contextlib.nullcontext()


def _werkzeug_request(scope: dict) -> Any:
    from werkzeug.wrappers import Request

    from .werkzeug_request import request_environ

    environ = dict(request_environ(HTTPConnection(scope)))
    environ.setdefault("wsgi.input", io.BytesIO())
    environ.setdefault("wsgi.errors", io.StringIO())
    return Request(environ)


def open_with(interface: Any, app: Any, scope: dict) -> Any:
    """``interface.open_session(app, request)``, or its null session when it opens none (as Flask did)."""
    flask_app, context = _flask_app(app)
    with context:
        session = interface.open_session(flask_app, _werkzeug_request(scope))
        if session is None and callable(getattr(interface, "make_null_session", None)):
            return interface.make_null_session(flask_app)
        return session if session is not None else {}


def open_from_jar(interface: Any, app: Any, jar: dict) -> Any:
    """The session a client holding the cookies ``jar`` has (the test client's ``session_transaction()``)."""
    cookie = "; ".join(f"{name}={value}" for name, value in jar.items()).encode("latin-1")
    scope = {"type": "http", "method": "GET", "path": "/", "root_path": "", "query_string": b"", "scheme": "http"}
    scope.update(headers=[(b"cookie", cookie)], server=("localhost", 80), client=("127.0.0.1", 0))
    return open_with(interface, app, scope)


def save_with(interface: Any, app: Any, session: Any, headers: MutableHeaders) -> None:
    """``interface.save_session(app, session, response)``; the cookies it set (or deleted) and its ``Vary`` on the
    answer's ``headers``. A null session is not saved (Flask's ``is_null_session``)."""
    from werkzeug.wrappers import Response

    flask_app, context = _flask_app(app)
    response = Response()
    with context:
        null = getattr(interface, "is_null_session", None)
        if callable(null) and null(session):
            return
        interface.save_session(flask_app, session, response)
    for cookie in response.headers.getlist("Set-Cookie"):
        headers.append("set-cookie", cookie)
    vary = response.headers.get("Vary")
    if vary:
        from .sessions import add_vary_cookie

        for part in (p.strip() for p in vary.split(",")):
            if part.lower() == "cookie":
                add_vary_cookie(headers)
            elif part.lower() not in {v.strip().lower() for v in headers.get("vary", "").split(",")}:
                headers["Vary"] = f"{headers['vary']}, {part}" if headers.get("vary") else part
