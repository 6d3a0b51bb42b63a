"""Flask's own ``url_for`` and ``current_app`` in the app's old tests: a Flask twin whose URL map names the routes.

Tests that were not converted push ``app.test_request_context()`` or ``app.app_context()`` and call
``flask.url_for('bp.view')``; the twin shares the app's config and answers those names with the FastAPI
routes' URLs. End state: tests that call ``app.url_path_for`` on the FastAPI app.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.routing import Mount

from . import url_processors
from .flask_request import with_session
from .hosted_urls import name_hosted_rules
from .request_context import made_for
from .stand_in import flask_app_for, stand_in
from .urls import _all_routes

_PARAMETER = re.compile(r"\{(\w+)(?::(\w+))?\}")


def flask_url_twin(app: Any) -> Any:
    """The Flask app standing for ``app`` in Flask's own context (the extensions' shadow when there is one)."""
    try:
        import flask
    except ImportError:  # Flask gone: nothing calls flask.url_for any more
        return None
    for key, value in flask.Flask.default_config.items():  # what Flask reads while adding rules (3.1+)
        app.config.setdefault(key, value)
    twin = app.__dict__.get("_flask_shadow") or app.__dict__.get("_flask_url_twin")
    if twin is None:
        twin = flask_app_for(flask, app)
        twin.config = app.config
        if isinstance(getattr(app, "extensions", None), dict):  # an extension's init_app after app_context()
            twin.extensions = app.extensions  # (CTFd's Flask-Caching): current_app.extensions is the app's
        url_processors.share(app, twin)  # flask.url_for runs the app's url_defaults, registered through either
        app.__dict__["_flask_url_twin"] = stand_in(twin, app)
    _name_routes(app, twin)
    return twin


def twin_app_context(app: Any, g: dict) -> Any:
    """The twin's app context (not pushed), whose ``g`` is ``g``: the helper's app context's or test request
    context's, so what a test sets on Flask's own ``g`` there the converted code reads (Flask has one ``g``), as
    ``face.flask_app_context`` shares it where an extension's Flask app stands for the app. None without Flask."""
    from .shadow_g import SharedG

    twin = flask_url_twin(app)
    return SharedG(twin.app_context(), g) if twin is not None else None


def flask_request_context(app: Any, scope: dict, body: bytes = b"") -> Any:
    """A Flask test request context on the twin for the same request, or None without Flask: its headers and body
    too, which code left on Flask reads through ``flask.request`` (an OAuth provider's bearer token), and the
    request's session, so what the app writes there (``flash``) the test's ``flask.get_flashed_messages()`` reads,
    and what Flask-Login's own ``login_user`` writes the app's ``current_user`` reads: each opened one of its own."""
    twin = flask_url_twin(app)
    if twin is None:
        return None
    host = dict(scope.get("headers") or []).get(b"host", b"localhost").decode("latin-1")
    base = f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}/"
    path = scope.get("path", "/")[len(scope.get("root_path", "")) :] or "/"
    query = scope.get("query_string", b"").decode("latin-1")
    headers = [
        (k.decode("latin-1"), v.decode("latin-1"))
        for k, v in scope.get("headers") or []
        if k.lower() not in (b"host", b"content-length")  # the base URL's, and what Werkzeug counts itself
    ]
    client = scope.get("client")  # request.remote_addr: Flask-Login's session identifier reads it
    context = twin.test_request_context(
        path,
        base_url=base,
        method=scope.get("method", "GET"),
        query_string=query,
        headers=headers,
        data=body or None,
        environ_base={"REMOTE_ADDR": client[0]} if client else None,
    )
    if scope.get("session") is not None:
        with_session(context, scope["session"])
    return made_for(context, scope)


def _view(**_: Any) -> None:  # the twin only builds URLs: nothing is served by it
    return None


def _name_routes(app: Any, twin: Any) -> None:
    """A Flask rule for every named route and static mount not yet on the twin."""
    added = twin.__dict__.setdefault("_asyncshift_rules", set())
    for route in _all_routes(app.routes):
        name, path = getattr(route, "name", None), getattr(route, "path", None)
        if not name or path is None or (name, path) in added:
            continue
        added.add((name, path))
        if isinstance(route, Mount):
            rule = path.rstrip("/") + "/<path:filename>"
        else:
            rule = _PARAMETER.sub(lambda m: f"<path:{m[1]}>" if m[2] == "path" else f"<{m[1]}>", path)
        methods = sorted(getattr(route, "methods", None) or ["GET"])
        try:
            twin.add_url_rule(rule, endpoint=name, view_func=_view, methods=methods)
        except (AssertionError, ValueError):  # a rule Werkzeug cannot read, or the twin already served
            continue
    name_hosted_rules(app, twin, _view)  # a REST Api's Resources, still served by a Flask app
