"""A Flask extension's view decorator (``@jwt_required``) on a converted view: it runs in a Flask request context.

Decorators of extensions with no FastAPI conversion read ``flask.request`` (Flask-JWT-Extended's headers and
cookies) and keep what they find on Flask's context (``current_user``). Around the decorated view, the Flask
app behind the extensions (``face.flask_app_context``) gets a request context built from the current request:
its method, path, query string, headers and body. End state: the extension's FastAPI twin (a dependency).

The view returns what it returned in Flask (the wrapper may consume it: Flask-OAuthlib's ``token_handler`` takes it
as the token's extra credentials), and what the wrapper gives back becomes a response by Flask's rules. FastAPI
sees the view's parameters without its ``*args``/``**kwargs`` (the extension fills those, not the request).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any

from starlette.responses import Response

from .context import _current_app, _request
from .inputs import request_data
from .responses import make_response
from .stand_in import stand_in


def _shadow(app: Any) -> Any:
    """The Flask app behind the extensions (``face.flask_app_context``), made here when no extension made one."""
    import flask

    from .face import flask_app_context
    from .shadow_urls import adapter_for

    flask_app_context(app)
    shadow = app.__dict__.get("_flask_shadow")
    if shadow is None:
        shadow = flask.Flask(app.import_name, root_path=app.root_path, static_folder=None)
        shadow.config, shadow.extensions = app.config, app.extensions
        shadow.create_url_adapter = adapter_for(app, shadow.create_url_adapter)
        shadow.__dict__["jinja_env"] = app.jinja_env
        app._flask_shadow = stand_in(shadow, app)
    for key, value in flask.Flask.default_config.items():  # Flask's own reads (JSON_AS_ASCII in its jsonify)
        shadow.config.setdefault(key, value)
    return shadow


@contextlib.contextmanager
def flask_request_context(body: bytes | None = None, view: Callable | None = None) -> Iterator[Any]:
    """Flask's request context for the current request, pushed for the block; routed to ``view`` when given."""
    req = _request()
    shadow = _shadow(_current_app())
    headers = [(k, v) for k, v in req.headers.items() if k.lower() != "content-length"]
    data = body if body is not None else request_data(req)
    base = f"{req.url.scheme}://{req.url.netloc}{req.scope.get('root_path', '')}"
    context = shadow.test_request_context(
        req.url.path, base_url=base, method=req.method, headers=headers, query_string=req.url.query, data=data or None
    )
    from flask.sessions import SecureCookieSession

    empty = SecureCookieSession()  # the app's session is the helper's: Flask's own stays empty, and is not opened
    if isinstance(type(context).__dict__.get("session"), property):  # Flask 3.1: read-only, kept as _session
        context._session = empty
    else:
        context.session = empty
    context.push()
    if view is not None:
        _route_to(context, req, view)
    try:
        yield context
    finally:
        context.pop()
        _keep_written(req, empty)


def _route_to(context: Any, req: Any, view: Callable) -> None:
    """Flask's ``request.endpoint``, ``view_args`` and ``view_functions`` as if Flask had routed to ``view``: the
    Flask app behind the extensions has no rules, and an extension keying its work by the endpoint found none
    (Flask-Limiter's ``limit`` looks its limits up through ``view_functions[request.endpoint]``: none applied)."""
    from werkzeug.routing import Rule

    route = req.scope.get("route")  # FastAPI's route, named as the Flask endpoint
    endpoint = getattr(route, "name", None) or getattr(view, "__name__", "view")
    context.request.url_rule = Rule(getattr(route, "path", req.url.path), endpoint=endpoint)
    context.request.view_args = dict(req.path_params)
    context.request.routing_exception = None
    context.app.view_functions.setdefault(endpoint, view)


def _keep_written(req: Any, written: Any) -> None:
    """What the extension wrote in Flask's session (Flask-User's flash before its redirect to sign in), in the app's:
    its flashes after the app's own (it was dropped with the context)."""
    session = req.scope.get("session")
    if not written.modified or session is None:
        return
    for key, value in written.items():
        if key == "_flashes":
            value = [*session.get("_flashes", []), *value]
        session[key] = value


def _answer(result: Any) -> Any:
    """What the wrapper gave back (the view's value, or the extension's own Flask response) as a response."""
    return result if isinstance(result, Response) else make_response(result)


def _signature(view: Callable) -> inspect.Signature | None:
    """The view's signature without ``*args``/``**kwargs``, which FastAPI would read as query parameters."""
    try:
        signature = inspect.signature(view)
    except (TypeError, ValueError):
        return None
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return signature.replace(parameters=[p for p in signature.parameters.values() if p.kind not in variadic])


def flask_request(decorator: Callable[[Callable], Callable]) -> Callable[[Callable], Callable]:
    """``@flask_request(jwt_required)``: the extension's decorator, its wrapper and the view in Flask's context."""

    def apply(view: Callable) -> Callable:
        decorated = decorator(view)
        signature = _signature(view)
        # an async view under a sync wrapper (``return fn(*args)``) gives its coroutine: awaited in the context
        if inspect.iscoroutinefunction(decorated) or inspect.iscoroutinefunction(inspect.unwrap(view)):

            @functools.wraps(decorated)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                body = await _request().body()
                with flask_request_context(body, view):
                    result = decorated(*args, **kwargs)
                    result = await result if inspect.isawaitable(result) else result
                    return _answer(result)  # the extension's own redirect (Flask-User's) too

            if signature is not None:
                run_async.__signature__ = signature  # type: ignore[attr-defined]
            return run_async

        @functools.wraps(decorated)
        def run(*args: Any, **kwargs: Any) -> Any:
            with flask_request_context(view=view):
                return _answer(decorated(*args, **kwargs))

        if signature is not None:
            run.__signature__ = signature  # type: ignore[attr-defined]
        return run

    return apply
