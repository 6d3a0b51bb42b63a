"""REST extensions kept on Flask (flask-restx, flask-restplus, Flask-RESTful, flask-smorest): their Api hosted.

Their ``Resource`` classes are served by a small Flask app that answers what no FastAPI route does, so an
``Api(app)`` or ``Api(bp)`` on a converted app or blueprint keeps working instead of failing at import.
End state: each Resource method a FastAPI route, and this module gone.

The Flask app runs in a worker thread of the event loop serving the request; its WSGI environ carries that loop
(``SERVING_LOOP``), so a view Flask calls without awaiting can run a coroutine there and wait for it (the async
engine's pooled connections belong to that loop): what sqlalchemy-to-async writes in such views does.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import warnings
from typing import Any

from fastapi import APIRouter, FastAPI

from .flask_responses import as_flask, flask_own
from .flask_threads import follow_the_request
from .hosted_errors import app_handlers, read_http_errors, router_handlers
from .hosted_subclasses import twin_arguments
from .stand_in import stand_in

_TWINS: dict[int, tuple[APIRouter, Any]] = {}  # id(router) -> (router, its Flask blueprint)
TWIN = "asyncshift_flask_twin"  # the same pair on the router: each converted root has its own copy of this module
SERVING_LOOP = "asyncshift.serving_loop"  # the WSGI environ's key for the loop serving the request
_serving: contextvars.ContextVar[asyncio.AbstractEventLoop] = contextvars.ContextVar("asyncshift_serving_loop")


def flask_hosted(api_class: type) -> type:
    """The extension's ``Api`` class, built on the Flask twin of a converted app or blueprint."""

    class Hosted(api_class):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            if args:
                args = (flask_twin(args[0]), *args[1:])
            elif kwargs.get("app") is not None:
                kwargs["app"] = flask_twin(kwargs["app"])
            super().__init__(*args, **kwargs)

        def init_app(self, app: Any, *args: Any, **kwargs: Any) -> Any:
            return super().init_app(flask_twin(app), *args, **kwargs)

        def make_response(self, data: Any, *args: Any, **kwargs: Any) -> Any:
            """A converted Resource's Starlette response (its module was converted with it: ``make_response(...)``
            became the helper's) as Werkzeug's, where Flask-RESTful would serialise it as data (a 500)."""
            made = as_flask(data)
            return made if made is not data else super().make_response(data, *args, **kwargs)

        def __init_subclass__(cls, **kwargs: Any) -> None:  # the project's own Api subclass: Flask's app too
            super().__init_subclass__(**kwargs)
            twin_arguments(cls, flask_twin)

    Hosted.__name__ = Hosted.__qualname__ = api_class.__name__
    Hosted.__module__ = api_class.__module__
    return Hosted


def flask_twin(target: Any) -> Any:
    """A Flask app for a FastAPI app, a Flask blueprint for an APIRouter; anything else as it is."""
    import flask

    if isinstance(target, FastAPI):
        return _host(target)
    if isinstance(target, APIRouter) and not isinstance(target, flask.Blueprint):
        if id(target) not in _TWINS:
            name = str(target.tags[0]) if target.tags else f"router_{id(target)}"
            _TWINS[id(target)] = (target, flask.Blueprint(name, __name__, url_prefix=target.prefix or None))
            target.__dict__[TWIN] = _TWINS[id(target)]  # another root's copy of this helper finds it there
        return _TWINS[id(target)][1]
    return target


def _host(app: FastAPI) -> Any:
    """The Flask app beside a FastAPI app (made once, with its config and its extensions: a JWT or database
    extension initialised on the FastAPI app is found there by the Resources): it answers what no route does."""
    import flask

    host = app.__dict__.get("flask_host")
    if host is None:
        host = flask.Flask(getattr(app, "import_name", __name__), static_folder=None)
        _share_config(flask, app, host)
        if isinstance(getattr(app, "extensions", None), dict):
            host.extensions = app.extensions
        if getattr(app, "jinja_env", None) is not None:  # a Resource's render_template: the app's loader and globals
            host.__dict__["jinja_env"] = app.jinja_env
            host.register_blueprint = _with_templates(host.register_blueprint, app)
        host.app_ctx_globals_class = _requests_g(host.app_ctx_globals_class)
        host.url_value_preprocessor(_path_params)
        host.make_response = _flask_own(host.make_response)
        app.__dict__["flask_host"] = stand_in(host, app)
        from .flask_only import _build_converted_url  # a Resource's url_for("views.files"): the app's routes

        host.url_build_error_handlers.append(_build_converted_url)
    return host


def _with_templates(register: Any, app: FastAPI) -> Any:
    """The host's ``register_blueprint``: the blueprint's template folder searched after the app's, as Flask's loader
    searches a blueprint's. The host renders with the converted app's Jinja environment, which knew no blueprint
    registered on the host: an extension built there rendering its own templates (Flask-Security's login page,
    ``security/login_user.html`` in its package) got TemplateNotFound, a 500 on each of its pages."""
    from .face import _add_template_folder

    def registering(blueprint: Any, **options: Any) -> Any:
        done = register(blueprint, **options)
        folder = getattr(blueprint, "template_folder", None)
        if folder:
            _add_template_folder(app, os.path.join(blueprint.root_path, folder))
        return done

    return registering


def _share_config(flask: Any, app: FastAPI, host: Any) -> None:
    """The host's config is the app's, as the other Flask apps standing for it have it (``face.flask_app_context``,
    ``flask_urls``): what an extension built on the host sets there (Flask-Security's ``config.setdefault`` of its
    defaults) is read in the app's context too. A copy kept them on the host: the first app had them only because the
    extension set them on the converted app before refusing it; a second app of the process (a suite's app per test
    module), whose extension went to the host straight away, had none ("Key SECURITY_... doesn't exist")."""
    config = getattr(app, "config", None)
    if not isinstance(config, dict):
        host.config.update(dict(config or {}))
        return
    for key, value in flask.Flask.default_config.items():  # what Flask reads through the host
        config.setdefault(key, value)
    host.config = config


def _flask_own(make_response: Any) -> Any:
    """The host's ``make_response``: a Werkzeug response a converted view decorator returned, not its Starlette
    twin (``view_value``), which Flask would call as a WSGI app."""

    def made(rv: Any) -> Any:
        return make_response(flask_own(rv))

    return made


def _requests_g(base: type) -> type:
    """Flask's ``g`` on the host: the request's (the converted app's ``request.state``), as Flask had one ``g`` for
    the request; what the app's hooks or an extension's (Flask-Principal's ``g.identity``) set, a Resource reads. The
    host's own app context had an empty one."""
    from .context import _current

    class RequestsG(base):
        def __init__(self) -> None:
            request = _current.get(None)
            if request is not None:  # Flask 2.0+'s g.__setattr__ stores what it is given as a key
                object.__setattr__(self, "__dict__", request.scope.setdefault("state", {}))

    return RequestsG


def _path_params(endpoint: Any, values: Any) -> None:
    """The host's URL arguments as the request's path parameters: converted code a Resource calls reads them there
    (Flask's ``request.view_args``, converted to ``request.path_params``); no FastAPI route matched, none were set."""
    from .context import _current

    request = _current.get(None)
    if request is not None and values:
        request.scope["path_params"] = dict(values)


def _error_handlers(app: FastAPI, host: Any) -> None:
    """The error handlers extensions registered on the FastAPI app's face (Flask-JWT-Extended's: a missing token
    answers 401), on the host too: its Resources raise the same errors."""
    handlers = app.__dict__.get("flask_error_handlers", ())
    done = host.__dict__.setdefault("asyncshift_error_handlers", 0)
    for key, fn in handlers[done:]:
        try:
            host.register_error_handler(key, fn)
        except (AssertionError, KeyError, ValueError, TypeError):  # a key Flask refuses, or served already
            pass
    host.__dict__["asyncshift_error_handlers"] = len(handlers)


def _ready_host(app: FastAPI) -> Any:
    """The host with the twins of the routers this app included (first request: the Resources are all added)."""
    routers = app.__dict__.get("_included_routers", ())
    included = [(r.__dict__[TWIN], prefix) for r, prefix in routers if TWIN in r.__dict__]
    if "flask_host" not in app.__dict__ and not included:
        return None
    host = _host(app)
    host.config.update(dict(getattr(app, "config", {}) or {}))  # the tests set TESTING after the app is made
    app_handlers(app, host)  # the app's own, as Flask's app handlers answered what a Resource raised
    _error_handlers(app, host)
    for (router, blueprint), prefix in included:
        if blueprint.name not in host.blueprints:  # where FastAPI serves the router: the include's prefix too
            router_handlers(router, blueprint)  # the router's error handlers answer for its Resources too
            host.register_blueprint(blueprint, url_prefix=prefix or None)  # the include's, with the router's own
    read_http_errors(host)  # the helpers' HTTP errors (get_or_404) as Werkzeug's
    _share_session(app, host)
    return host


def _share_session(app: FastAPI, host: Any) -> None:
    """The app's own session interface (Flask-Session's server-side store): the host's session is the request's,
    which the app's middleware opened and saves. The host opened its own with Flask's signed-cookie interface from a
    cookie holding the store's session id: empty, so a Resource saw no user signed in by a converted view (401)."""
    from flask.sessions import SessionInterface

    from .context import _current
    from .session_interfaces import own_interface

    if own_interface(app) is None or getattr(host.session_interface, "asyncshift_shared", False):
        return
    given = host.session_interface

    def served() -> Any:
        request = _current.get(None)
        return request.scope.get("session") if request is not None else None

    class RequestsSession(SessionInterface):
        asyncshift_shared = True

        def open_session(self, flask_app: Any, request: Any) -> Any:
            session = served()
            return session if session is not None else given.open_session(flask_app, request)

        def save_session(self, flask_app: Any, session: Any, response: Any) -> None:
            if session is not served():  # the request's: the app's middleware saves it
                given.save_session(flask_app, session, response)

    host.session_interface = RequestsSession()


def _wsgi(host: Any) -> Any:
    try:
        from a2wsgi import WSGIMiddleware
    except ImportError:  # Starlette's own, deprecated but present
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from starlette.middleware.wsgi import WSGIMiddleware
    wsgi = WSGIMiddleware(_with_serving_loop(host))
    wsgi.host = host
    return wsgi


def _with_serving_loop(host: Any) -> Any:
    """The Flask app, its environ given the loop that serves the request (both WSGI middlewares run the app in a
    worker thread with a copy of the request's context, where ``_serving`` holds it). Before Werkzeug 2.0 Flask's
    stacks are keyed by the request there (``flask_threads``): the host's contexts get a key of their own, or the
    host's app context and the one the converted app pushes to save the session as the host answers (Flask-Session's
    interface) were pushed and popped on one stack from two threads ("Popped wrong app context")."""

    def app(environ: dict, start_response: Any) -> Any:
        follow_the_request()  # this worker thread's copy of the context only
        loop = _serving.get(None)
        if loop is not None:
            environ[SERVING_LOOP] = loop
        return host(environ, start_response)

    return app


def _flask_fallback(app: FastAPI, default: Any) -> Any:
    """``app.router.default``: a request no FastAPI route takes goes to the Flask host when one of its rules does."""

    async def fallback(scope, receive, send):
        host = _ready_host(app) if scope["type"] == "http" else None
        if host is None or not _flask_rule_takes(host, scope):
            return await default(scope, receive, send)
        served = _converted_route(app, host, scope)
        if served is not None:  # the host's rule names a converted view: FastAPI serves it, as its own route does
            route, params = served
            scope.update(endpoint=route.endpoint, path_params=params, route=route)
            return await route.app(scope, receive, send)
        wsgi = app.__dict__.get("flask_wsgi")
        if wsgi is None or wsgi.host is not host:
            wsgi = app.__dict__["flask_wsgi"] = _wsgi(host)
        token = _serving.set(asyncio.get_running_loop())
        try:
            await wsgi(scope, receive, _taking_flask_session(app, scope, send))
        finally:
            _serving.reset(token)

    return fallback


def _taking_flask_session(app: FastAPI, scope: dict, send: Any) -> Any:
    """``send`` for the Flask host's answer: the session cookie it set (a sign-in, a flash, a sign-out) is what the
    converted app's session becomes, so the converted app's session middleware, which answers after it, saves that
    one (it saved the session as the request brought it, a permanent one each request: its cookie came last and
    won, and every sign-in, sign-out and flash of the extension's views was lost)."""

    async def sending(message: dict) -> None:
        if message["type"] == "http.response.start":
            _take_flask_session(app, scope.get("session"), message.get("headers") or [])
        await send(message)

    return sending


def _take_flask_session(app: FastAPI, session: Any, headers: list) -> None:
    from http.cookies import SimpleCookie

    from .sessions import Session, open_session

    config = getattr(app, "config", None)
    if not isinstance(session, Session) or not isinstance(config, dict):
        return
    name = config.get("SESSION_COOKIE_NAME") or "session"
    value = None
    for key, header in headers:
        if key.lower() == b"set-cookie":
            cookie = SimpleCookie()
            cookie.load(header.decode("latin-1"))
            if name in cookie:
                value = cookie[name].value
    if value is None:  # the host left the session as it came
        return
    secret = getattr(app, "secret_key", None) or config.get("SECRET_KEY")
    saved = open_session(config, {name: value}, secret) if value else Session()
    dict.clear(session)
    dict.update(session, saved)
    session.modified = False  # the host's cookie says it already; an emptied one is deleted there


def _flask_rule_takes(host: Any, scope: dict) -> bool:
    """Whether a rule of the Flask host answers the path (a match, a 405 or a strict-slash redirect)."""
    from werkzeug.exceptions import NotFound

    root, path = scope.get("root_path") or "", scope.get("path", "/")
    adapter = host.url_map.bind("localhost")
    try:
        adapter.match(path[len(root) :] if root and path.startswith(root) else path, method=scope.get("method", "GET"))
    except NotFound:
        return False
    except Exception:  # MethodNotAllowed, RequestRedirect: Flask answers them itself
        return True
    return True


def _converted_route(app: FastAPI, host: Any, scope: dict) -> tuple[Any, dict] | None:
    """The app's route whose view is the one the host's rule for the request names, and that rule's path
    parameters: an extension left on Flask registered a converted view on the host too (a project's REST Api's
    ``@api.route(bp, "/login")`` over the view's own ``@bp.post``), and Flask called it with Flask's arguments only
    ("login() missing 3 required positional arguments: 'request', ..."). None when the rule's view is Flask's."""
    from werkzeug.exceptions import HTTPException

    from .urls import _all_routes

    root, path = scope.get("root_path") or "", scope.get("path", "/")
    try:
        endpoint, params = host.url_map.bind("localhost").match(
            path[len(root) :] if root and path.startswith(root) else path, method=scope.get("method", "GET")
        )
    except HTTPException:  # no rule, a 405, a redirect: Flask answers them
        return None
    view = host.view_functions.get(endpoint)
    for route in _all_routes(app.routes) if view is not None else ():
        if getattr(route, "endpoint", None) is view and getattr(route, "app", None) is not None:
            return route, params
    return None
