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
from .inputs import known_body, request_data
from .request_context import made_for
from .responses import view_value
from .stand_in import stand_in
from .unhanded_request import extension_filled, handed, unhanded, without
from .werkzeug_request import request_path


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
    if "ensure_sync" not in shadow.__dict__:
        shadow.ensure_sync = _as_given
    return shadow


def _as_given(func: Callable) -> Callable:
    """The Flask app's ``ensure_sync`` here: an extension's wrapper calling ``current_app.ensure_sync(view)(...)``
    (Flask-Limiter's ``limit``) on a view made async gets its coroutine back, which ``flask_request`` awaits on the
    app's loop; Flask's ran it through asgiref on a loop of its own, or raised without Flask's ``async`` extra."""
    return func


@contextlib.contextmanager
def flask_request_context(body: bytes | None = None, view: Callable | None = None) -> Iterator[Any]:
    """Flask's request context for the current request, pushed for the block; routed to ``view`` when given."""
    req = _request()
    context = _context_for(req, body)
    context.push()
    if view is not None:
        _route_to(context, req, view)
    try:
        yield context
    finally:
        context.pop()


def _context_for(req: Any, body: bytes | None) -> Any:
    """A Flask request context (not pushed) for ``req`` on the Flask app behind the extensions."""
    shadow = _shadow(_current_app())
    headers = [(k, v) for k, v in req.headers.items() if k.lower() != "content-length"]
    data = body if body is not None else request_data(req)
    base = f"{req.url.scheme}://{req.url.netloc}{req.scope.get('root_path', '')}"
    client = req.scope.get("client")  # request.remote_addr: Flask-Login's session identifier reads it
    context = shadow.test_request_context(
        request_path(req),
        base_url=base,
        method=req.method,
        headers=headers,
        query_string=req.url.query,
        data=data or None,
        environ_base={"REMOTE_ADDR": client[0]} if client else None,
    )
    with_session(context, _session(req))
    return made_for(context, req.scope)


def with_session(context: Any, session: Any) -> None:
    """Flask's request context (not pushed yet) takes ``session`` as its own: Flask opens one only where it has none."""
    if isinstance(type(context).__dict__.get("session"), property):  # Flask 3.1: read-only, kept as _session
        context._session = session
    else:
        context.session = session


def _session(req: Any) -> Any:
    """Flask's ``session`` in that context: the app's own (the helper's, opened by its middleware), so what the
    extension reads there is the user's (Flask-Security's ``logout_user`` pops the signed-in user from it) and what
    it writes is kept; Flask's session interface is not opened. No session on the app: an empty one."""
    session = req.scope.get("session")
    if session is None:
        from flask.sessions import SecureCookieSession

        session = SecureCookieSession()
    return session


_HOOKS_CONTEXT = "_flask_compat_hooks_context"


def needs_flask_request(exc: BaseException) -> bool:
    """Flask's error for ``flask.request`` read with no Flask request context pushed."""
    return isinstance(exc, RuntimeError) and str(exc).startswith("Working outside of request context")


def in_flask_request(fn: Callable, *args: Any) -> Any:
    """``fn(*args)``, an extension's request hook, in Flask's request context routed to the request's route: one
    context for every hook of the request, as Flask ran them in one (what Flask-Limiter's ``before_request`` keeps
    there its ``after_request`` and ``teardown_request`` read)."""
    req = _request()
    context = req.scope.get(_HOOKS_CONTEXT)
    if context is None:
        context = req.scope[_HOOKS_CONTEXT] = _context_for(req, None)
    context.push()  # pushed again for each hook (they run in worker threads): Flask routes it anew, to nothing
    _route_to(context, req, None)
    try:
        return fn(*args)
    finally:
        context.pop()


def _route(req: Any) -> tuple[Any, dict]:
    """FastAPI's route for the request and its path parameters: the router's once routed, before that (the
    ``before_request`` hooks) the route that matches it."""
    route = req.scope.get("route")
    if route is not None:
        return route, dict(req.path_params)
    from starlette.routing import Match

    from .urls import _all_routes

    for candidate in _all_routes(getattr(req.app, "routes", ())):
        match, child = candidate.matches(req.scope)
        if match == Match.FULL:
            return candidate, dict(child.get("path_params") or {})
    return None, {}


def _route_to(context: Any, req: Any, view: Callable | None) -> None:
    """Flask's ``request.endpoint``, ``view_args`` and ``view_functions`` as if Flask had routed to ``view`` (None:
    the route's own view; no route, no endpoint, as Flask's 404): the Flask app behind the extensions has no rules,
    and an extension keying its work by the endpoint found none (Flask-Limiter's ``limit`` looks its limits up
    through ``view_functions[request.endpoint]``: none applied). The endpoint's blueprints are in the app's
    ``blueprints``, where an extension looks up what it keeps by ``request.blueprint`` (Flask-Limiter's limits on a
    blueprint)."""
    from werkzeug.routing import Rule

    route, params = _route(req)  # FastAPI's route, named as the Flask endpoint
    view = view if view is not None else getattr(route, "endpoint", None)
    if route is None and view is None:
        return
    endpoint = getattr(route, "name", None) or getattr(view, "__name__", "view")
    context.request.url_rule = Rule(getattr(route, "path", req.url.path), endpoint=endpoint)
    context.request.view_args = params
    context.request.routing_exception = None
    if view is not None:
        context.app.view_functions.setdefault(endpoint, view)
    _blueprints(context.app, endpoint)


def _blueprints(app: Any, endpoint: str) -> None:
    """Flask blueprints named as the endpoint's (``api`` for ``api.item``; ``a.b`` and ``a`` for ``a.b.item``, as
    Flask keys nested ones) in ``app.blueprints``, where none is."""
    from flask import Blueprint

    name = endpoint.rpartition(".")[0]
    while name:
        if name not in app.blueprints:
            app.blueprints[name] = Blueprint(name.rpartition(".")[2], app.import_name)
        name = name.rpartition(".")[0]


def _answer(result: Any) -> Any:
    """What the wrapper gave back (the view's value, or the extension's own Flask response) as a view decorator's
    wrapper gives it (``view_value``): a value no response is made of (a model object) goes back as it is, since a
    decorator outside may still turn it into one (a marshaller dumping it), as Flask made the response only after
    every decorator returned."""
    return result if isinstance(result, Response) else view_value(result)


def _signature(view: Callable) -> inspect.Signature | None:
    """The view's signature without ``*args``/``**kwargs``, which FastAPI would read as query parameters, nor the
    parameters the extension fills (``extension_filled``)."""
    try:
        signature = inspect.signature(view)
    except (TypeError, ValueError):
        return None
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    filled = extension_filled(view)
    kept = [p for p in signature.parameters.values() if p.kind not in variadic and p.name not in filled]
    return signature.replace(parameters=kept)


def flask_request(decorator: Callable[[Callable], Callable]) -> Callable[[Callable], Callable]:
    """``@flask_request(jwt_required)``: the extension's decorator, its wrapper and the view in Flask's context."""

    def apply(view: Callable) -> Callable:
        names = handed(view)  # what FastAPI fills for the conversion (the request): no parameter of the extension's
        decorated = decorator(unhanded(view, names))
        signature = _signature(view)
        # an async view under a sync wrapper (``return fn(*args)``) gives its coroutine: awaited in the context
        if inspect.iscoroutinefunction(decorated) or inspect.iscoroutinefunction(inspect.unwrap(view)):

            @functools.wraps(decorated)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                req = _request()
                body = known_body(req)
                body = await req.body() if body is None else body
                with flask_request_context(body, view), without(kwargs, names) as given:
                    result = decorated(*args, **given)
                    result = await result if inspect.isawaitable(result) else result
                    return _answer(result)  # the extension's own redirect (Flask-User's) too

            if signature is not None:
                run_async.__signature__ = signature  # type: ignore[attr-defined]
            return run_async

        @functools.wraps(decorated)
        def run(*args: Any, **kwargs: Any) -> Any:
            with flask_request_context(view=view), without(kwargs, names) as given:
                return _answer(decorated(*args, **given))

        if signature is not None:
            run.__signature__ = signature  # type: ignore[attr-defined]
        return run

    return apply


def _itself(view: Callable) -> Callable:
    return view


def flask_context(view: Callable) -> Callable:
    """``@flask_context``: a view that calls an extension left on Flask itself (Flask-Security's ``login_user``, its
    forms), which reads ``flask.request``, ``flask.session`` and ``current_app``, runs in Flask's request context, as
    ``flask_request`` runs an extension's decorator and the view under it."""
    return flask_request(_itself)(view)
