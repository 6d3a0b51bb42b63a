"""An extension's Flask views (``app.register_blueprint(its_blueprint)``, ``app.add_url_rule(...)`` by the
extension) answer inside a Flask request context built from the request, as Flask ran them.

Their code reads ``flask.request`` (a ``MethodView`` dispatching on ``request.method``, Flasgger's API docs page):
without a request context they raised "Working outside of request context" (a 500). The context is
``flask_request``'s (the Flask app behind the extensions); its ``url_for`` builds the FastAPI app's URLs, the
extension's own views among them, in its code and in the templates it renders. End state: the extension's
FastAPI counterpart, or the view ported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .flask_request import flask_request_context
from .shadow_urls import RequestURLAdapter


def extension_view(app: Any, request: Any, view_func: Callable) -> Any:
    """``view_func`` called with the path parameters, in a Flask request context unless one is pushed already."""
    try:
        import flask
    except ImportError:  # Flask gone: nothing reads its request
        return view_func(**request.path_params)
    if flask.has_request_context():
        return view_func(**request.path_params)
    with flask_request_context() as context:  # Flask matched it on its own (empty) URL map: url_for builds the app's
        context.url_adapter = RequestURLAdapter(app)
        return view_func(**request.path_params)
