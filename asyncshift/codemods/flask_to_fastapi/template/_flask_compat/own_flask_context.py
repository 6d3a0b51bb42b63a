"""A Flask context a test pushed for a Flask app of its own around a call of the app's code.

An old test builds a bare ``flask.Flask("name")``, enters its ``test_request_context()``, sets ``flask.g.user``
and calls a helper of the app (``is_admin(flask.g.user)``, ``is_safe_url(target)``): Flask's ``g`` and
``request`` were that context's, whatever the app. The converted helper reads this package's, which had neither a
request nor an app context: 'Working outside of application context'. Where none of this package's is current,
``g`` is that Flask context's ``g`` and ``request`` a Starlette request of that Flask request (its method, URL,
headers, body and session), made once per Flask request. End state: the test calls the helper inside the
converted app's ``test_request_context()``.
"""

from __future__ import annotations

import sys
from typing import Any
from urllib.parse import quote

from starlette.requests import Request

try:
    from .stand_in import _FOR
except ImportError:  # this module loaded on its own (its test): no stand-ins
    _FOR = "_asyncshift_stands_for"

_MADE = "flask_compat.own_request"  # the Starlette request made for a Flask request, in its WSGI environ


def _flask() -> Any:
    return sys.modules.get("flask")  # never imported here: an app whose tests never import Flask has no context


def own_g_data() -> dict | None:
    """The attributes of Flask's ``g`` where a Flask app context is pushed, else None."""
    flask = _flask()
    if flask is None or not flask.has_app_context():
        return None
    return vars(flask.g._get_current_object())


def own_request() -> Request | None:
    """A Starlette request of the Flask request context pushed, else None."""
    flask = _flask()
    if flask is None or not flask.has_request_context():
        return None
    given = flask.request._get_current_object()
    made = given.environ.get(_MADE)
    if made is None:
        body = given.get_data(cache=True)

        async def receive() -> dict:
            return {"type": "http.request", "body": body, "more_body": False}

        made = given.environ[_MADE] = Request(_scope(flask, given), receive)
        made._body = body  # helpers that read the body synchronously find it
    return made


def _app(current: Any) -> Any:
    """The request's app: the converted app where Flask's current app stands for it (a test's
    ``flask.current_app.test_request_context()`` in the converted app's context: its ``url_for`` reads the app's
    routes, which the stand-in has not: ``AttributeError: routes``), else the test's own Flask app."""
    return getattr(current, "__dict__", {}).get(_FOR) or current


def _scope(flask: Any, given: Any) -> dict:
    environ, secure = given.environ, given.scheme == "https"
    port = environ.get("SERVER_PORT")
    headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in given.headers.items()]
    root = given.script_root  # Werkzeug's name in every release (``root_path`` came in 2.0)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": given.method,
        "scheme": given.scheme,
        "root_path": root,
        "path": root + given.path,
        "raw_path": quote(root + given.path).encode("latin-1"),
        "query_string": given.query_string,
        "headers": headers,
        "client": (given.remote_addr or "127.0.0.1", 0),
        "server": (environ.get("SERVER_NAME") or "localhost", int(port) if port else (443 if secure else 80)),
        "app": _app(flask.current_app._get_current_object()),
        "state": vars(flask.g._get_current_object()),  # ``request.state`` is ``g``, as this package's are
    }
    try:
        scope["session"] = flask.session._get_current_object()
    except RuntimeError:  # no session of that context
        pass
    return scope
