"""Flask idioms that FastAPI has no twin for, written into this package by asyncshift's flask-to-fastapi codemod.

It needs only FastAPI, Starlette, Jinja2 and itsdangerous. Each helper names its idiomatic end state;
once no module imports a helper, delete it (and, in the end, this file).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import html
import importlib
import inspect
import json
import logging
import os
import shutil
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Match, Mount

__all__ = [
    "Config",
    "init_app",
    "url_for",
    "render_template",
    "render_template_string",
    "flash",
    "get_flashed_messages",
    "make_response",
    "jsonify",
    "send_file",
    "send_from_directory",
    "read_form",
    "read_json",
    "read_body",
    "request_data",
    "request_form",
    "request_files",
    "request_json",
    "save_upload",
    "before_request",
    "after_request",
    "teardown_request",
    "app_errorhandler",
    "errorhandler",
    "redirect_defaults",
    "or_default",
    "context_processor",
    "template_filter",
    "template_global",
    "add_url_alias",
    "request",
    "g",
    "session",
    "current_app",
    "LoginManager",
    "UserMixin",
    "AnonymousUserMixin",
    "login_user",
    "logout_user",
    "login_required",
    "current_user",
    "HTTPBasicAuth",
    "HTTPDigestAuth",
    "HTTPTokenAuth",
    "MultiAuth",
]

_current: contextvars.ContextVar[Request] = contextvars.ContextVar("flask_compat_request")


# -- configuration: end state is a pydantic-settings class read once at startup --------------------


class Config(dict):
    """``app.config`` as Flask has it: a dict with ``from_object``/``from_mapping``/``from_pyfile``/``from_envvar``."""

    def __init__(self, root_path: str = ".", defaults: dict | None = None):
        super().__init__(defaults or {})
        self.root_path = root_path

    def from_object(self, obj: Any) -> None:
        if isinstance(obj, str):
            module_name, _, attr = obj.rpartition(".") if ":" not in obj else obj.replace(":", ".").rpartition(".")
            obj = getattr(importlib.import_module(module_name), attr) if module_name else importlib.import_module(attr)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_mapping(self, mapping: dict | None = None, **kwargs: Any) -> bool:
        for key, value in {**(mapping or {}), **kwargs}.items():
            if key.isupper():
                self[key] = value
        return True

    def from_pyfile(self, filename: str, silent: bool = False) -> bool:
        path = os.path.join(self.root_path, filename)
        try:
            with open(path, "rb") as handle:
                namespace: dict = {"__file__": path}
                exec(compile(handle.read(), path, "exec"), namespace)
        except OSError:
            if silent:
                return False
            raise
        self.from_mapping({k: v for k, v in namespace.items() if k.isupper()})
        return True

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        path = os.environ.get(variable_name)
        if not path:
            if silent:
                return False
            raise RuntimeError(f"The environment variable {variable_name!r} is not set")
        return self.from_pyfile(path, silent=silent)

    def from_prefixed_env(self, prefix: str = "FLASK") -> bool:
        for key in sorted(os.environ):
            if key.startswith(f"{prefix}_"):
                value: Any = os.environ[key]
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
                self[key[len(prefix) + 1 :]] = value
        return True

    def get_namespace(self, namespace: str, lowercase: bool = True, trim_namespace: bool = True) -> dict:
        found = {}
        for key, value in self.items():
            if key.startswith(namespace):
                name = key[len(namespace) :] if trim_namespace else key
                found[name.lower() if lowercase else name] = value
        return found


DEFAULTS = {
    "DEBUG": False,
    "TESTING": False,
    "SECRET_KEY": None,
    "SESSION_COOKIE_NAME": "session",
    "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
    "MAX_CONTENT_LENGTH": None,
    "SERVER_NAME": None,
    "APPLICATION_ROOT": "/",
    "PREFERRED_URL_SCHEME": "http",
    "PROPAGATE_EXCEPTIONS": None,
}


# -- the application: end state is FastAPI(lifespan=...), Jinja2Templates, StaticFiles, SessionMiddleware


def _root_path(import_name: str) -> str:
    module = sys.modules.get(import_name)
    if module is not None and getattr(module, "__file__", None):
        return os.path.dirname(os.path.abspath(module.__file__))
    return os.getcwd()


def init_app(
    app: FastAPI,
    import_name: str,
    *,
    template_folder: str | None = "templates",
    static_folder: str | None = "static",
    static_url_path: str | None = None,
    instance_path: str | None = None,
    instance_relative_config: bool = False,
) -> FastAPI:
    """Give a FastAPI app what Flask gave it for free: config, templates, static files, sessions, hooks."""
    root = _root_path(import_name)
    app.import_name = import_name
    app.root_path = root
    app.instance_path = instance_path or os.path.join(os.path.dirname(root), "instance")
    app.config = Config(app.instance_path if instance_relative_config else root, DEFAULTS)
    app.extensions = {}
    app.logger = logging.getLogger(import_name)
    app.app_context = functools.partial(_app_context, app)  # g and current_app outside requests
    app.open_resource = lambda resource, mode="rb": open(os.path.join(root, resource), mode)
    with contextlib.suppress(ImportError):
        import click

        app.cli = click.Group(import_name)  # end state: the project's own command line
    build = app.build_middleware_stack

    def build_with_router_handlers():
        for key, handler in _ROUTER_HANDLERS:
            app.exception_handlers.setdefault(key, handler)
        _install_scoped_handlers(app)
        stack = build()
        catch_all = app.exception_handlers.get(Exception)
        if catch_all is not None:
            # Flask: a handler for Exception answers and the error stops there. Starlette calls it from
            # ServerErrorMiddleware, which re-raises; put it where handled errors end (end state: handle
            # your own exception classes and let the rest be 500s).
            from starlette.middleware.exceptions import ExceptionMiddleware

            node = stack
            while node is not None:
                if isinstance(node, ExceptionMiddleware):
                    node._exception_handlers.setdefault(Exception, catch_all)
                    break
                node = getattr(node, "app", None)
        return stack

    app.build_middleware_stack = build_with_router_handlers
    # Flask's trailing slashes: a rule ending in "/" answers the slashless URL with a 308 to the
    # slashed one; a rule without one answers the slashed URL with 404 (Starlette redirects both ways)
    app.router.redirect_slashes = False
    app.router.default = _slash_redirect(app, app.router.default)
    directory = os.path.join(root, template_folder or "templates")
    app.templates = Jinja2Templates(directory=directory, context_processors=[_template_context])
    app.jinja_env = app.templates.env
    app.jinja_env.globals.update(url_for=_template_url_for, get_flashed_messages=_template_flashes)
    app.context_processors = []
    app.hooks = {"before": [], "after": [], "teardown": []}
    if static_folder:
        static_dir = os.path.join(root, static_folder)
        path = static_url_path if static_url_path is not None else "/" + os.path.basename(static_folder.rstrip("/"))
        app.mount(path.rstrip("/") or "/static", StaticFiles(directory=static_dir, check_dir=False), name="static")
    app.add_middleware(_FlaskContext, flask_app=app)
    app.add_middleware(_LazySessions, flask_app=app)
    app.add_exception_handler(RequestValidationError, _bad_request)
    app.add_exception_handler(StarletteHTTPException, _error_page)
    return app


_DESCRIPTIONS = {
    400: "The browser (or proxy) sent a request that this server could not understand.",
    401: (
        "The server could not verify that you are authorized to access the URL requested. You either supplied "
        "the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the "
        "credentials required."
    ),
    403: (
        "You don't have the permission to access the requested resource. "
        "It is either read-protected or not readable by the server."
    ),
    404: (
        "The requested URL was not found on the server. "
        "If you entered the URL manually please check your spelling and try again."
    ),
    405: "The method is not allowed for the requested URL.",
    409: (
        "A conflict happened while processing the request. "
        "The resource might have been modified while the request was being processed."
    ),
    410: "The requested URL is no longer available on this server and there is no forwarding address.",
    500: (
        "The server encountered an internal error and was unable to complete your request. "
        "Either the server is overloaded or there is an error in the application."
    ),
}


async def _error_page(request: Request, exc: StarletteHTTPException) -> Response:
    """Flask's HTML error page for an HTTP error no handler took; end state: FastAPI's JSON ``{"detail": ...}``.

    As in Flask, a handler registered for ``Exception`` takes HTTP errors that nothing more specific took.
    """
    from http import HTTPStatus

    catch_all = request.app.exception_handlers.get(Exception)
    if catch_all is not None:
        answer = (
            catch_all(request, exc)
            if inspect.iscoroutinefunction(catch_all)
            else await run_in_threadpool(catch_all, request, exc)
        )
        return await answer if inspect.isawaitable(answer) else answer

    phrase = HTTPStatus(exc.status_code).phrase if exc.status_code in HTTPStatus._value2member_map_ else "Error"
    description = exc.detail if exc.detail and exc.detail != phrase else _DESCRIPTIONS.get(exc.status_code, "")
    if exc.status_code < 400 or exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=getattr(exc, "headers", None))
    body = (
        f"<!doctype html>\n<html lang=en>\n<title>{exc.status_code} {phrase}</title>\n"
        f"<h1>{phrase}</h1>\n<p>{html.escape(str(description))}</p>\n"
    )
    return HTMLResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))


async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
    """Flask answers a missing form field or header with 400 (FastAPI: 422), a path its converter rejects with 404."""
    if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
        not_found = StarletteHTTPException(404)
        handler = request.app.exception_handlers.get(404) or _error_page
        answer = handler(request, not_found)
        return await answer if inspect.isawaitable(answer) else answer
    return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=400)


def or_default(default: Any) -> Any:
    """Flask's ``get(key, default, type=int)``: a value that does not convert gives the default, not a 400."""
    from pydantic import WrapValidator

    def convert(value: Any, handler: Callable) -> Any:
        try:
            return handler(value)
        except ValueError:
            return default

    return WrapValidator(convert)


class _LazySessions:
    """Signed-cookie sessions keyed by ``app.config['SECRET_KEY']``, read when the first request comes."""

    def __init__(self, app: Any, flask_app: FastAPI):
        self.app, self.flask_app, self.sessions = app, flask_app, None

    async def __call__(self, scope, receive, send):
        if self.sessions is None:
            key = getattr(self.flask_app, "secret_key", None) or self.flask_app.config.get("SECRET_KEY")
            cookie = self.flask_app.config.get("SESSION_COOKIE_NAME", "session")
            self.sessions = SessionMiddleware(self.app, secret_key=key, session_cookie=cookie) if key else self.app
        await self.sessions(scope, receive, send)


class _FlaskContext:
    """Makes the current request reachable from helpers (``g``, ``request``) and runs the request hooks."""

    def __init__(self, app: Any, flask_app: FastAPI):
        self.app, self.flask_app = app, flask_app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] in ("HEAD", "OPTIONS"):
            allowed = self._allowed(scope)
            if scope["method"] == "OPTIONS" and allowed and "OPTIONS" not in allowed:
                methods = allowed | {"OPTIONS"} | ({"HEAD"} if "GET" in allowed else set())
                await HTMLResponse("", headers={"Allow": ", ".join(sorted(methods))})(scope, receive, send)
                return
            if scope["method"] == "HEAD" and "GET" in allowed and "HEAD" not in allowed:
                scope, send = {**scope, "method": "GET"}, _without_body(send)
        if _DEFAULT_ROUTES:
            location = _defaults_redirect(self.flask_app, scope)
            if location is not None:
                await RedirectResponse(location, status_code=308)(scope, receive, send)
                return
        request = Request(scope, receive)
        token = _current.set(request)
        error: BaseException | None = None
        try:
            for hook in self._hooks("before", scope):
                rv = await _call(hook, request)
                if rv is not None:
                    await make_response(rv)(scope, receive, send)
                    return
            if "_body" in request.__dict__:  # a hook read the body: the view reads it again
                receive = _replay(request._body, receive)
            after = self._hooks("after", scope)
            await self.app(scope, receive, _after_hooks(after, request, send) if after else send)
        except BaseException as exc:
            error = exc
            raise
        finally:
            for hook in self._hooks("teardown", scope):
                await _call(hook, request, error)
            _current.reset(token)

    def _allowed(self, scope) -> set[str]:
        """Methods of the routes matching the path: Flask answers OPTIONS itself and HEAD like GET."""
        methods: set[str] = set()
        for route in _all_routes(self.flask_app.routes):
            route_methods = getattr(route, "methods", None)
            if route_methods and route.matches({**scope, "method": next(iter(route_methods))})[0] == Match.FULL:
                methods |= set(route_methods)
        return methods

    def _hooks(self, kind: str, scope) -> list[Callable]:
        hooks = list(self.flask_app.hooks[kind]) + _APP_WIDE_HOOKS.get(kind, [])
        routers = _ROUTER_HOOKS.get(kind)
        if routers:
            endpoint = next(
                (
                    r.endpoint
                    for r in _all_routes(self.flask_app.routes)
                    if getattr(r, "endpoint", None) and r.matches(scope)[0] == Match.FULL
                ),
                None,
            )
            for router, fns in routers:
                if endpoint is not None and any(getattr(r, "endpoint", None) is endpoint for r in router.routes):
                    hooks.extend(fns)
        return hooks


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _without_body(send):
    async def send_headers_only(message):
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_headers_only


def _after_hooks(hooks: list[Callable], request: Request, send):
    async def send_with_hooks(message):
        if message["type"] == "http.response.start":
            response = Response(status_code=message["status"])
            response.raw_headers = list(message.get("headers", []))
            for hook in reversed(hooks):  # Flask runs after_request hooks in reverse order
                response = await _call(hook, request, response) or response
            message = {**message, "status": response.status_code, "headers": response.raw_headers}
        await send(message)

    return send_with_hooks


async def _call(fn: Callable, request: Request, *args: Any) -> Any:
    kwargs = {"request": request} if "request" in inspect.signature(fn).parameters else {}
    if inspect.iscoroutinefunction(fn):
        return await fn(*args, **kwargs)
    return await run_in_threadpool(fn, *args, **kwargs)


_ROUTER_HOOKS: dict[str, list[tuple[Any, list[Callable]]]] = {}
_APP_WIDE_HOOKS: dict[str, list[Callable]] = {}
_ROUTER_HANDLERS: list[tuple[Any, Callable]] = []


def app_errorhandler(router: Any, key: Any) -> Callable[[Callable], Callable]:
    """A blueprint's error handler, installed app-wide when the app builds its middleware."""

    def decorator(fn: Callable) -> Callable:
        _ROUTER_HANDLERS.append((key, fn))
        return fn

    return decorator


_SCOPED_HANDLERS: list[tuple[Any, Any, Callable]] = []


def errorhandler(router: Any, key: Any) -> Callable[[Callable], Callable]:
    """A blueprint's ``errorhandler``: it answers only for errors raised by that router's routes.

    End state: catch the error in the router's views (or a router dependency) and return the answer.
    """

    def decorator(fn: Callable) -> Callable:
        _SCOPED_HANDLERS.append((router, key, fn))
        return fn

    return decorator


async def _answer(handler: Callable, request: Request, exc: BaseException) -> Any:
    answer = (
        handler(request, exc)
        if inspect.iscoroutinefunction(handler)
        else await run_in_threadpool(handler, request, exc)
    )
    return await answer if inspect.isawaitable(answer) else answer


def _install_scoped_handlers(app: FastAPI) -> None:
    keys = []
    for _, key, _ in _SCOPED_HANDLERS:
        if key not in keys:
            keys.append(key)
    app_handlers = {k: h for k, h in app.exception_handlers.items() if not getattr(h, "_flask_scoped", False)}
    for key in keys:
        app.exception_handlers[key] = _scoped_dispatch(app, key, app_handlers)


def _scoped_dispatch(app: FastAPI, key: Any, app_handlers: dict) -> Callable:
    async def dispatch(request: Request, exc: BaseException) -> Any:
        endpoint = request.scope.get("endpoint")
        if endpoint is not None:
            for router, wanted, fn in _SCOPED_HANDLERS:
                if wanted == key and any(getattr(r, "endpoint", None) is endpoint for r in _all_routes(router.routes)):
                    return await _answer(fn, request, exc)
        # Flask: the app's handler for the same code, else for the error's class or a base class
        candidates = [exc.status_code] if isinstance(exc, StarletteHTTPException) else []
        candidates += list(type(exc).__mro__)
        for candidate in candidates:
            handler = app_handlers.get(candidate)
            if handler is not None:
                return await _answer(handler, request, exc)
        if isinstance(exc, StarletteHTTPException):
            return await _error_page(request, exc)
        raise exc

    dispatch._flask_scoped = True
    return dispatch


def _slash_redirect(app: FastAPI, not_found: Callable) -> Callable:
    """No route matched: Flask redirects (308) to the slashed URL when a rule ending in "/" takes it."""

    async def default(scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] == "http" and not path.endswith("/"):
            slashed = {
                **scope,
                "path": path + "/",
                "method": "GET" if scope.get("method") == "HEAD" else scope.get("method"),
            }
            for route in _all_routes(app.routes):
                route_path = getattr(route, "path", "")
                if (
                    route_path.endswith("/")
                    and not isinstance(route, Mount)
                    and route.matches(dict(slashed))[0] == Match.FULL
                ):
                    query = scope.get("query_string", b"").decode("latin-1")
                    location = path + "/" + (f"?{query}" if query else "")
                    await RedirectResponse(location, status_code=308)(scope, receive, send)
                    return
        await not_found(scope, receive, send)

    return default


_DEFAULT_ROUTES: dict[int, dict] = {}  # id(route) -> the rule's defaults


def redirect_defaults(router: Any, **defaults: Any) -> Callable[[Callable], Callable]:
    """Flask's ``defaults=`` on a rule: a URL whose values equal them redirects (308) to that rule.

    Put it directly above the route decorator that had ``defaults=``. End state: drop the redirect
    (FastAPI answers both URLs) or redirect in the view.
    """

    def decorator(fn: Callable) -> Callable:
        for route in reversed(router.routes):
            if getattr(route, "endpoint", None) is fn:
                _DEFAULT_ROUTES[id(route)] = defaults
                break
        return fn

    return decorator


def _defaults_redirect(app: FastAPI, scope) -> str | None:
    matched = None
    for route in _all_routes(app.routes):
        match, child = route.matches(dict(scope))
        if match == Match.FULL:
            matched = (route, child)
            break
    if matched is None:
        return None
    route, child = matched
    original = getattr(route, "original_route", route)
    values = child.get("path_params") or {}
    if (
        not values or id(original) in _DEFAULT_ROUTES
    ):  # compare the matched route: the defaults rule never redirects to itself
        return None
    for other in _all_routes(app.routes):
        defaults = _DEFAULT_ROUTES.get(id(getattr(other, "original_route", other)))
        if (
            defaults is None
            or getattr(other, "endpoint", None) is not getattr(route, "endpoint", None)
            or scope["method"] not in (getattr(other, "methods", None) or ())
        ):
            continue
        if defaults == values and not getattr(other, "param_convertors", None):
            query = scope.get("query_string", b"").decode("latin-1")
            return other.path + (f"?{query}" if query else "")
    return None


def _hook(kind: str):
    def register(target: Any, app_wide: bool = False) -> Callable[[Callable], Callable]:
        def decorator(fn: Callable) -> Callable:
            if app_wide:
                _APP_WIDE_HOOKS.setdefault(kind, []).append(fn)
            elif isinstance(getattr(target, "hooks", None), dict):
                target.hooks[kind].append(fn)
            else:
                entries = _ROUTER_HOOKS.setdefault(kind, [])
                for router, fns in entries:
                    if router is target:
                        fns.append(fn)
                        break
                else:
                    entries.append((target, [fn]))
            return fn

        return decorator

    return register


before_request = _hook("before")  # end state: a dependency (APIRouter(dependencies=[Depends(...)]))
after_request = _hook("after")  # end state: an @app.middleware("http") function
teardown_request = _hook("teardown")  # end state: a dependency with yield


_SHARED_TEMPLATE_PARTS: dict[str, dict] = {"filters": {}, "globals": {}}
_SHARED_CONTEXT_PROCESSORS: list[Callable] = []


def context_processor(target: Any) -> Callable[[Callable], Callable]:
    def decorator(fn: Callable) -> Callable:
        getattr(target, "context_processors", _SHARED_CONTEXT_PROCESSORS).append(fn)
        return fn

    return decorator


def _template_part(kind: str):
    def register(target: Any, name: str | None = None) -> Callable[[Callable], Callable]:
        def decorator(fn: Callable) -> Callable:
            env = getattr(target, "jinja_env", None)
            (getattr(env, kind) if env is not None else _SHARED_TEMPLATE_PARTS[kind])[name or fn.__name__] = fn
            return fn

        return decorator

    return register


template_filter = _template_part("filters")
template_global = _template_part("globals")


# -- URLs: end state is request.url_for(name, **path_params) ----------------------------------------


def url_for(
    request: Request,
    endpoint: str,
    *,
    _external: bool = False,
    _anchor: str | None = None,
    _method: str | None = None,
    _scheme: str | None = None,
    **values: Any,
) -> str:
    """Flask's ``url_for``: a relative path, unknown values as the query string, ``static`` by ``filename``."""
    app = request.app
    if endpoint == "static" and "filename" in values:
        values["path"] = values.pop("filename")
    if endpoint.startswith("."):
        route = request.scope.get("route")
        tags = getattr(route, "tags", None) or [""]
        endpoint = f"{tags[0]}{endpoint}"
    found = _find_route(app, endpoint)
    if found is None and endpoint in getattr(app, "url_aliases", {}):
        url, names = app.url_aliases[endpoint], set()
    elif found is None:
        raise ValueError(f"Could not build url for endpoint {endpoint!r}.")
    else:
        route, endpoint = found
        names = {"path"} if isinstance(route, Mount) else set(getattr(route, "param_convertors", {}))
    path_params = {k: v for k, v in values.items() if k in names}
    query = [(k, v) for k, v in values.items() if k not in names and v is not None]
    if found is not None:
        url = str(route.url_path_for(endpoint, **path_params))
    if query:
        pairs = [(k, item) for k, v in query for item in (v if isinstance(v, (list, tuple)) else [v])]
        url += "?" + urlencode(pairs)
    if _anchor:
        url += "#" + _anchor
    if _external:
        base = str(request.base_url).rstrip("/")
        if _scheme:
            base = _scheme + base[base.index(":") :]
        url = base + url
    return url


def add_url_alias(app: FastAPI, rule: str, endpoint: str) -> None:
    """``add_url_rule(rule, endpoint=...)`` without a view: ``url_for(endpoint)`` builds ``rule``."""
    app.url_aliases = {**getattr(app, "url_aliases", {}), endpoint: rule}


def _all_routes(routes: Any):
    """Every route, with included routers opened up (FastAPI 0.16x includes routers lazily)."""
    for route in routes:
        if hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()
        else:
            yield route


def _find_route(app: Any, endpoint: str):
    """The route named ``endpoint``; ``blog.index`` also finds a route ``index`` tagged ``blog``."""
    tag, _, short = endpoint.rpartition(".")
    fallback = None
    for route in _all_routes(app.routes):
        name = getattr(route, "name", None)
        if name == endpoint:
            return route, endpoint
        if tag and name == short and tag in (getattr(route, "tags", None) or ()):
            fallback = fallback or (route, short)
    return fallback


@pass_context
def _template_url_for(context: dict, endpoint: str, **values: Any) -> str:
    return url_for(context["request"], endpoint, **values)


# -- templates: end state is templates.TemplateResponse(request, name, {...}) -------------------------


def _template_context(request: Request) -> dict:
    app = request.app
    context = {
        "g": request.state,
        "config": getattr(app, "config", {}),
        "session": request.session if "session" in request.scope else {},
    }
    if getattr(app, "login_manager", None) is not None:
        context["current_user"] = _load_user(request)
    for processor in [*getattr(app, "context_processors", ()), *_SHARED_CONTEXT_PROCESSORS]:
        context.update(processor() if not inspect.signature(processor).parameters else processor(request))
    return context


def _context(request: Request, context: dict) -> dict:
    full = {"request": request, **_template_context(request)}
    full.update(context)
    return full


def render_template(request: Request, template_name_or_list: str | list[str], **context: Any) -> str:
    """Flask's ``render_template``: the rendered text, with Flask's template globals."""
    env = request.app.jinja_env
    for kind, parts in _SHARED_TEMPLATE_PARTS.items():
        getattr(env, kind).update(parts)
    template = env.get_or_select_template(template_name_or_list)
    return template.render(_context(request, context))


def render_template_string(request: Request, source: str, **context: Any) -> str:
    return request.app.jinja_env.from_string(source).render(_context(request, context))


# -- flashed messages: end state is a message list kept in request.session --------------------------


def flash(request: Request, message: str, category: str = "message") -> None:
    flashes = request.session.get("_flashes", [])
    flashes.append((category, message))
    request.session["_flashes"] = flashes


def get_flashed_messages(request: Request, with_categories: bool = False, category_filter: Any = ()) -> list:
    if "_flask_compat_flashes" not in request.scope:
        session = request.session if "session" in request.scope else {}
        request.scope["_flask_compat_flashes"] = (
            [tuple(f) for f in session.pop("_flashes", [])] if "_flashes" in session else []
        )
    flashes = request.scope["_flask_compat_flashes"]
    if category_filter:
        flashes = [f for f in flashes if f[0] in category_filter]
    return list(flashes) if with_categories else [f[1] for f in flashes]


@pass_context
def _template_flashes(context: dict, with_categories: bool = False, category_filter: Any = ()) -> list:
    return get_flashed_messages(context["request"], with_categories, category_filter)


# -- responses: end state is returning the model, or a Starlette Response class ---------------------


def jsonify(*args: Any, **kwargs: Any) -> JSONResponse:
    if args and kwargs:
        raise TypeError("jsonify() behavior undefined when passed both args and kwargs")
    data = args[0] if len(args) == 1 else (list(args) if args else kwargs)
    return JSONResponse(jsonable_encoder(data))


def make_response(*args: Any) -> Response:
    """Flask's return-value rules: body, (body, status), (body, headers), (body, status, headers)."""
    rv = args[0] if len(args) == 1 else (args if args else "")
    status = headers = None
    if isinstance(rv, tuple):
        if len(rv) == 3:
            rv, status, headers = rv
        elif len(rv) == 2:
            rv, second = rv
            if isinstance(second, (dict, list, tuple)) or hasattr(second, "items"):
                headers = second
            else:
                status = second
    if isinstance(rv, Response):
        response = rv
    elif isinstance(rv, (dict, list)):
        response = JSONResponse(jsonable_encoder(rv))
    elif isinstance(rv, bytes):
        response = HTMLResponse(rv)
    elif rv is None:
        raise TypeError("The view function did not return a valid response.")
    else:
        response = HTMLResponse(str(rv))
    if status is not None:
        response.status_code = int(str(status).split()[0])
    if headers:
        for key, value in headers.items() if hasattr(headers, "items") else headers:
            response.headers[key] = str(value)
    return response


def send_file(
    path_or_file: Any,
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    **_: Any,
) -> Response:
    """End state: ``FileResponse(path)`` for files on disk, ``Response(content)`` for bytes."""
    if hasattr(path_or_file, "read"):
        content = path_or_file.read()
        response = Response(content, media_type=mimetype or "application/octet-stream")
        if download_name:
            kind = "attachment" if as_attachment else "inline"
            response.headers["content-disposition"] = f'{kind}; filename="{download_name}"'
        return response
    filename = download_name or (os.path.basename(str(path_or_file)) if as_attachment else None)
    return FileResponse(
        os.fspath(path_or_file),
        media_type=mimetype,
        filename=filename,
        content_disposition_type="attachment" if as_attachment else "inline",
    )


def send_from_directory(directory: str, path: str, **kwargs: Any) -> Response:
    from fastapi import HTTPException

    root = os.path.abspath(directory)
    full = os.path.abspath(os.path.join(root, path))
    if not full.startswith(root + os.sep) or not os.path.isfile(full):
        raise HTTPException(status_code=404)
    return send_file(full, **kwargs)


# -- request bodies read ahead for def views: end state is typed Form()/Body() parameters -----------


async def read_form(request: Request):
    return await request.form()


async def read_json(request: Request) -> Any:
    body = await request.body()
    return json.loads(body) if body else None


async def read_body(request: Request) -> bytes:
    return await request.body()


# -- the body read from sync code (def views' helpers, handlers, hooks): FastAPI runs them in a worker
#    thread, so the read runs on the event loop and the thread waits; end state: async def + await.


def _await(request: Request, read: Callable) -> Any:
    async def run() -> Any:
        return await read()

    try:
        import anyio.from_thread

        return anyio.from_thread.run(run)
    except RuntimeError as exc:
        if "worker thread" in str(exc) or "event loop" in str(exc):
            raise RuntimeError(
                "the request body is read synchronously on the event loop: "
                "make this view a def, or async def and await request.body()"
            ) from exc
        raise


def request_data(request: Request, cache: bool = True, as_text: bool = False, parse_form_data: bool = False) -> Any:
    """Flask's ``request.get_data()`` / ``request.data``."""
    body = getattr(request, "_body", None)
    if body is None:
        body = _await(request, request.body)
    return body.decode("utf-8", "replace") if as_text else body


def _form(request: Request) -> Any:
    form = request.scope.get("_flask_compat_form") or getattr(request, "_form", None)
    if form is None:
        form = request.scope["_flask_compat_form"] = _await(request, request.form)
    return form


def request_form(request: Request) -> Any:
    """Flask's ``request.form``: the form's text fields (files are in ``request_files``)."""
    from starlette.datastructures import FormData

    return FormData([(k, v) for k, v in _form(request).multi_items() if isinstance(v, str)])


def request_files(request: Request) -> Any:
    """Flask's ``request.files``: the uploaded files (Starlette ``UploadFile``: ``.file.read()``, ``.filename``)."""
    from starlette.datastructures import FormData

    return FormData([(k, v) for k, v in _form(request).multi_items() if not isinstance(v, str)])


def request_json(request: Request, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
    """Flask's ``request.get_json()``: 415 unless the body is JSON (or ``force``), 400 if it does not parse."""
    mimetype = request.headers.get("content-type", "").split(";")[0].strip()
    if not force and not (
        mimetype == "application/json" or mimetype.startswith("application/") and mimetype.endswith("+json")
    ):
        if silent:
            return None
        raise StarletteHTTPException(
            415, "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."
        )
    try:
        return json.loads(request_data(request))
    except ValueError:
        if silent:
            return None
        raise StarletteHTTPException(400, "Failed to decode JSON object") from None


def save_upload(upload: Any, destination: Any) -> None:
    """Werkzeug's ``FileStorage.save``; end state: ``shutil.copyfileobj(upload.file, ...)``."""
    if hasattr(destination, "write"):
        shutil.copyfileobj(upload.file, destination)
        return
    with open(destination, "wb") as handle:
        shutil.copyfileobj(upload.file, handle)


# -- request-scoped globals for code outside views: end state is passing request / Depends ----------


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
        return bool(self._resolve())


def _request() -> Request:
    try:
        return _current.get()
    except LookupError:
        raise RuntimeError("Working outside of request context.") from None


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


_app_ctx: contextvars.ContextVar[tuple[FastAPI, dict]] = contextvars.ContextVar("flask_compat_app")


@contextlib.contextmanager
def _app_context(app: FastAPI):
    """Flask's ``app.app_context()``: ``g`` and ``current_app`` outside a request; teardown hooks on exit."""
    token = _app_ctx.set((app, {}))
    error: BaseException | None = None
    try:
        yield
    except BaseException as exc:
        error = exc
        raise
    finally:
        for hook in app.hooks["teardown"]:
            if not inspect.iscoroutinefunction(hook):
                hook(error)
        _app_ctx.reset(token)


def _context_data() -> dict:
    try:
        return _current.get().scope.setdefault("state", {})
    except LookupError:
        pass
    try:
        return _app_ctx.get()[1]
    except LookupError:
        raise RuntimeError("Working outside of application context.") from None


def _current_app() -> FastAPI:
    try:
        return _current.get().app
    except LookupError:
        pass
    try:
        return _app_ctx.get()[0]
    except LookupError:
        raise RuntimeError("Working outside of application context.") from None


request = _Proxy(_request)
g = _Proxy(lambda: _G(_context_data()))
session = _Proxy(lambda: _request().session)
current_app = _Proxy(_current_app)


# -- Flask-Login on signed-cookie sessions: end state is a Depends(current_user) dependency ----------


class AnonymousUserMixin:
    is_authenticated = False
    is_active = False
    is_anonymous = True

    def get_id(self) -> None:
        return None


class UserMixin:
    is_active = True
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    def get_id(self) -> str:
        return str(self.id)


class LoginManager:
    """The parts of Flask-Login's ``LoginManager`` that apps configure: loader, login view, message."""

    def __init__(self, app: FastAPI | None = None):
        self.login_view: str | None = None
        self.login_message = "Please log in to access this page."
        self.login_message_category = "message"
        self.anonymous_user = AnonymousUserMixin
        self._user_loader: Callable | None = None
        self._unauthorized: Callable | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: FastAPI) -> None:
        app.login_manager = self

    def user_loader(self, fn: Callable) -> Callable:
        self._user_loader = fn
        return fn

    def unauthorized_handler(self, fn: Callable) -> Callable:
        self._unauthorized = fn
        return fn


def _login_state(request: Request) -> dict:
    return request.scope.setdefault("state", {})


def _load_user(request: Request) -> Any:
    state = _login_state(request)
    if "_login_user" not in state:
        manager = request.app.login_manager
        user_id = request.session.get("_user_id") if "session" in request.scope else None
        user = manager._user_loader(user_id) if user_id is not None and manager._user_loader else None
        state["_login_user"] = user if user is not None else manager.anonymous_user()
    return state["_login_user"]


def login_user(user: Any, remember: bool = False, **_: Any) -> bool:
    request = _request()
    request.session["_user_id"] = str(user.get_id())
    _login_state(request)["_login_user"] = user
    return True


def logout_user() -> bool:
    request = _request()
    request.session.pop("_user_id", None)
    _login_state(request)["_login_user"] = request.app.login_manager.anonymous_user()
    return True


def _unauthorized(request: Request) -> Response:
    from fastapi import HTTPException

    manager = request.app.login_manager
    if manager._unauthorized is not None:
        return make_response(manager._unauthorized())
    if not manager.login_view:
        raise HTTPException(status_code=401)
    if manager.login_message:
        flash(request, manager.login_message, manager.login_message_category)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(url_for(request, manager.login_view, next=target), status_code=302)


def login_required(fn: Callable) -> Callable:
    """Flask-Login's decorator: the view runs only for a logged-in user, else the login view."""
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_view(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return _unauthorized(_request())
            return await fn(*args, **kwargs)

        return async_view

    @functools.wraps(fn)
    def view(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return _unauthorized(_request())
        return fn(*args, **kwargs)

    return view


current_user = _Proxy(lambda: _load_user(_request()))


# -- Flask-HTTPAuth: end state is a fastapi.security.HTTPBasic / HTTPBearer dependency -------------


async def _run(fn: Callable, *args: Any) -> Any:
    """Async callbacks are awaited; blocking ones run in the thread pool, as FastAPI runs def views."""
    if inspect.iscoroutinefunction(fn):
        return await fn(*args)
    return await run_in_threadpool(fn, *args)


class _Authorization:
    def __init__(self, type: str, username: str | None = None, password: str | None = None, token: str | None = None):
        self.type, self.username, self.password, self.token = type, username, password, token

    def __bool__(self) -> bool:
        return True


class HTTPAuth:
    """Flask-HTTPAuth's base class over the current request: same callbacks, same answers."""

    def __init__(self, scheme: str | None = None, realm: str | None = None, header: str | None = None):
        self.scheme, self.realm, self.header = scheme, realm or "Authentication Required", header
        self.get_password_callback: Callable = lambda username: None
        self.get_user_roles_callback: Callable | None = None
        self.error_handler(lambda status: ("Unauthorized Access", status))

    def is_compatible_auth(self, headers: Any) -> bool:
        if self.header is None or self.header == "Authorization":
            try:
                scheme, _ = headers.get("Authorization", "").split(None, 1)
            except ValueError:
                return False
            return scheme == self.scheme
        return self.header in headers

    def get_password(self, f: Callable) -> Callable:
        self.get_password_callback = f
        return f

    def get_user_roles(self, f: Callable) -> Callable:
        self.get_user_roles_callback = f
        return f

    def error_handler(self, f: Callable) -> Callable:
        async def decorated(*args: Any) -> Response:
            rv = await _run(f, *args)
            check_status = not isinstance(rv, (tuple, Response))
            response = make_response(rv)
            if check_status and response.status_code == 200:
                response.status_code = 401
            if "www-authenticate" not in response.headers:
                response.headers["WWW-Authenticate"] = self.authenticate_header()
            return response

        self.auth_error_callback = decorated
        return f

    def authenticate_header(self) -> str:
        return f'{self.scheme} realm="{self.realm}"'

    def get_auth(self) -> _Authorization | None:
        headers = _request().headers
        if self.header is None or self.header == "Authorization":
            try:
                kind, token = headers.get("Authorization", "").split(None, 1)
            except ValueError:
                return None
            auth = _Authorization(kind, token=token)
        elif self.header in headers:
            auth = _Authorization(self.scheme, token=headers[self.header])
        else:
            return None
        return auth if auth.type.lower() == (self.scheme or "").lower() else None

    async def _password(self, auth: _Authorization | None) -> Any:
        return await _run(self.get_password_callback, auth.username) if auth and auth.username else None

    async def authorize(self, role: Any, user: Any, auth: Any) -> bool:
        if role is None:
            return True
        roles = role if isinstance(role, (list, tuple)) else [role]
        user_roles = await _run(self.get_user_roles_callback, auth if user is True else user)
        user_roles = (
            set()
            if user_roles is None
            else ({user_roles} if not isinstance(user_roles, (list, tuple)) else set(user_roles))
        )
        return any(set(r) <= user_roles if isinstance(r, (list, tuple)) else r in user_roles for r in roles)

    def login_required(self, f: Callable | None = None, role: Any = None, optional: Any = None) -> Callable:
        def wrap(view: Callable) -> Callable:
            @functools.wraps(view)
            async def decorated(*args: Any, **kwargs: Any) -> Any:
                request = _request()
                if request.method != "OPTIONS":
                    auth = self.get_auth()
                    user = await self.authenticate(auth, await self._password(auth))
                    status = 401 if user in (False, None) else (None if await self.authorize(role, user, auth) else 403)
                    if status and not optional:
                        try:
                            return await self.auth_error_callback(status)
                        except TypeError:
                            return await self.auth_error_callback()
                    _context_data()["flask_httpauth_user"] = (
                        user if user is not True else (auth.username if auth else None)
                    )
                if inspect.iscoroutinefunction(view):
                    return await view(*args, **kwargs)
                return await run_in_threadpool(view, *args, **kwargs)

            return decorated

        return wrap(f) if f else wrap

    def username(self) -> str:
        auth = self.get_auth()
        return auth.username if auth else ""

    def current_user(self) -> Any:
        return _context_data().get("flask_httpauth_user")


class HTTPBasicAuth(HTTPAuth):
    def __init__(self, scheme: str | None = None, realm: str | None = None):
        super().__init__(scheme or "Basic", realm)
        self.hash_password_callback: Callable | None = None
        self.verify_password_callback: Callable | None = None

    def hash_password(self, f: Callable) -> Callable:
        self.hash_password_callback = f
        return f

    def verify_password(self, f: Callable) -> Callable:
        self.verify_password_callback = f
        return f

    def get_auth(self) -> _Authorization | None:
        import base64

        value = _request().headers.get(self.header or "Authorization")
        if value is None:
            return None
        try:
            scheme, credentials = value.encode("utf-8").split(b" ", 1)
            raw_user, raw_password = base64.b64decode(credentials).split(b":", 1)
        except (ValueError, TypeError):
            return None
        try:
            username, password = raw_user.decode("utf-8"), raw_password.decode("utf-8")
        except UnicodeDecodeError:
            username, password = raw_user.decode("latin1"), raw_password.decode("latin1")
        return _Authorization(scheme.decode("latin1"), username, password)

    async def authenticate(self, auth: _Authorization | None, stored_password: Any) -> Any:
        import hmac

        username, client_password = (auth.username, auth.password) if auth else ("", "")
        if self.verify_password_callback:
            return await _run(self.verify_password_callback, username, client_password)
        if not auth:
            return None
        if self.hash_password_callback:
            try:
                client_password = await _run(self.hash_password_callback, client_password)
            except TypeError:
                client_password = await _run(self.hash_password_callback, username, client_password)
        ok = (
            client_password is not None
            and stored_password is not None
            and hmac.compare_digest(client_password, stored_password)
        )
        return auth.username if ok else None


class HTTPDigestAuth(HTTPAuth):
    """Flask-HTTPAuth's digest auth: nonce and opaque kept in the session (or your callbacks).

    MD5 or MD5-Sess, qop=auth.
    """

    def __init__(
        self,
        scheme: str | None = None,
        realm: str | None = None,
        use_ha1_pw: bool = False,
        qop: Any = "auth",
        algorithm: str = "MD5",
    ):
        import hashlib
        import hmac
        import random

        super().__init__(scheme or "Digest", realm)
        self.use_ha1_pw = use_ha1_pw
        self.qop = [v.strip() for v in qop.split(",")] if isinstance(qop, str) else qop
        if algorithm.lower() == "md5":
            self.algorithm = "MD5"
        elif algorithm.lower() == "md5-sess":
            self.algorithm = "MD5-Sess"
        else:
            raise ValueError(f"Algorithm {algorithm} is not supported")
        self.random = random.SystemRandom()

        def generate() -> str:
            return hashlib.md5(str(self.random.random()).encode("utf-8")).hexdigest()

        def stored(key: str) -> Callable:
            def verify(value: Any) -> bool:
                kept = session.get(key)
                return value is not None and kept is not None and hmac.compare_digest(value, kept)

            return verify

        def new(key: str) -> Callable:
            def make() -> str:
                session[key] = generate()
                return session[key]

            return make

        self.generate_nonce(new("auth_nonce"))
        self.generate_opaque(new("auth_opaque"))
        self.verify_nonce(stored("auth_nonce"))
        self.verify_opaque(stored("auth_opaque"))

    def generate_nonce(self, f: Callable) -> Callable:
        self.generate_nonce_callback = f
        return f

    def verify_nonce(self, f: Callable) -> Callable:
        self.verify_nonce_callback = f
        return f

    def generate_opaque(self, f: Callable) -> Callable:
        self.generate_opaque_callback = f
        return f

    def verify_opaque(self, f: Callable) -> Callable:
        self.verify_opaque_callback = f
        return f

    def get_nonce(self) -> str:
        return self.generate_nonce_callback()

    def get_opaque(self) -> str:
        return self.generate_opaque_callback()

    def generate_ha1(self, username: str, password: str) -> str:
        import hashlib

        return hashlib.md5(f"{username}:{self.realm}:{password}".encode()).hexdigest()

    def authenticate_header(self) -> str:
        nonce, opaque = self.get_nonce(), self.get_opaque()
        header = f'{self.scheme} realm="{self.realm}",nonce="{nonce}",opaque="{opaque}"'
        return header + f',algorithm="{self.algorithm}",qop="{",".join(self.qop)}"' if self.qop else header

    def get_auth(self) -> _Authorization | None:
        from urllib.request import parse_http_list, parse_keqv_list

        value = _request().headers.get("Authorization")
        if value is None:
            return None
        try:
            kind, rest = value.split(None, 1)
        except ValueError:
            return None
        if kind.lower() != (self.scheme or "").lower():
            return None
        try:
            fields = parse_keqv_list(parse_http_list(rest))
        except ValueError:
            fields = {}
        auth = _Authorization(kind, fields.get("username"))
        for key in ("realm", "uri", "nonce", "response", "opaque", "qop", "nc", "cnonce"):
            setattr(auth, key, fields.get(key))
        return auth

    async def authenticate(self, auth: _Authorization | None, stored_password_or_ha1: Any) -> Any:
        import hashlib
        import hmac

        md5 = lambda text: hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: E731
        if (
            not auth
            or not auth.username
            or not auth.realm
            or not auth.uri
            or not auth.nonce
            or not auth.response
            or not stored_password_or_ha1
        ):
            return False
        if not await _run(self.verify_nonce_callback, auth.nonce) or not await _run(
            self.verify_opaque_callback, auth.opaque
        ):
            return False
        if auth.qop and auth.qop not in (self.qop or []):
            return False
        ha1 = (
            stored_password_or_ha1 if self.use_ha1_pw else md5(f"{auth.username}:{auth.realm}:{stored_password_or_ha1}")
        )
        if self.algorithm == "MD5-Sess":
            ha1 = md5(f"{ha1}:{auth.nonce}:{auth.cnonce}")
        ha2 = md5(f"{_request().method}:{auth.uri}")
        if auth.qop == "auth":
            expected = md5(f"{ha1}:{auth.nonce}:{auth.nc}:{auth.cnonce}:auth:{ha2}")
        else:
            expected = md5(f"{ha1}:{auth.nonce}:{ha2}")
        return hmac.compare_digest(expected, auth.response)


class HTTPTokenAuth(HTTPAuth):
    def __init__(self, scheme: str = "Bearer", realm: str | None = None, header: str | None = None):
        super().__init__(scheme, realm, header)
        self.verify_token_callback: Callable | None = None

    def verify_token(self, f: Callable) -> Callable:
        self.verify_token_callback = f
        return f

    async def authenticate(self, auth: _Authorization | None, stored_password: Any) -> Any:
        token = getattr(auth, "token", None)
        if token and self.verify_token_callback:
            return await _run(self.verify_token_callback, token)
        return None


class MultiAuth:
    """Tries the first auth whose scheme the request uses, else the main one."""

    def __init__(self, main_auth: HTTPAuth, *additional_auths: HTTPAuth):
        self.main_auth, self.additional_auths = main_auth, additional_auths

    def login_required(self, f: Callable | None = None, role: Any = None, optional: Any = None) -> Callable:
        def wrap(view: Callable) -> Callable:
            @functools.wraps(view)
            async def decorated(*args: Any, **kwargs: Any) -> Any:
                headers = _request().headers
                selected = next(
                    (
                        a
                        for a in self.additional_auths
                        if not self.main_auth.is_compatible_auth(headers) and a.is_compatible_auth(headers)
                    ),
                    self.main_auth,
                )
                return await selected.login_required(role=role, optional=optional)(view)(*args, **kwargs)

            return decorated

        return wrap(f) if f else wrap

    def current_user(self) -> Any:
        return _context_data().get("flask_httpauth_user")
