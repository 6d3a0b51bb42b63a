"""An extension's Flask views (``app.register_blueprint(its_blueprint)``, ``app.add_url_rule(...)`` by the
extension) answer inside a Flask request context built from the request, as Flask ran them.

Their code reads ``flask.request`` (a ``MethodView`` dispatching on ``request.method``, Flasgger's API docs page):
without a request context they raised "Working outside of request context" (a 500). The context is
``flask_request``'s (the Flask app behind the extensions); its ``url_for`` builds the FastAPI app's URLs, the
extension's own views among them, in its code and in the templates it renders. End state: the extension's
FastAPI counterpart, or the view ported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request

from .flask_request import flask_request_context
from .request_context import flasks_own_for
from .shadow_urls import RequestURLAdapter

_RULE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_CONVERTORS = {"int": ":int", "float": ":float", "path": ":path", "uuid": ":uuid"}


def flask_path(rule: str) -> str:
    """Flask's rule ``/items/<int:item_id>`` as FastAPI's path ``/items/{item_id:int}``."""
    return _RULE.sub(lambda m: "{" + m.group(2) + _CONVERTORS.get(m.group(1) or "", "") + "}", rule)


def extension_endpoint(view_func: Callable, app: Any = None, defaults: dict | None = None) -> Callable:
    """The FastAPI endpoint for an extension's view: called in Flask's request context (``app``'s URLs for its
    ``url_for``; None: the app serving the request), with the rule's ``defaults`` and the path parameters; its value
    answers by Flask's rules, Werkzeug's HTTP error (``flask.abort(404)``) as that status."""
    from .responses import make_response

    def view(request: Request) -> Any:  # not functools.wraps: FastAPI would read the view's own signature
        try:
            return make_response(extension_view(app or request.app, request, view_func, defaults))
        except Exception as exc:
            code = getattr(exc, "code", None)
            if isinstance(code, int) and type(exc).__module__.startswith("werkzeug"):  # flask.abort(500)
                raise StarletteHTTPException(code, getattr(exc, "description", None)) from exc
            raise

    return view


def extension_view(app: Any, request: Any, view_func: Callable, defaults: dict | None = None) -> Any:
    """``view_func`` called with the path parameters, in the request's own Flask request context: one pushed already
    when it is this request's, else one pushed for the call, on top of a test's (``app.test_request_context()`` in a
    fixture), whose request (no headers, path ``/``) the view would read (a 401 for a token it has)."""
    values = {**(defaults or {}), **request.path_params}
    try:
        import flask
    except ImportError:  # Flask gone: nothing reads its request
        return view_func(**values)
    if flask.has_request_context() and flasks_own_for(request.scope) is not None:
        return view_func(**values)
    with flask_request_context() as context:  # Flask matched it on its own (empty) URL map: url_for builds the app's
        context.url_adapter = RequestURLAdapter(app)
        return view_func(**values)
