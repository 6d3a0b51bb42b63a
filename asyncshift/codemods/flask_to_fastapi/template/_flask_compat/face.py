"""A Flask-shaped face on the FastAPI app, so a Flask extension's ``init_app(app)`` runs unchanged.

Extensions (Flask-Mail, -Moment, -Bootstrap, -Babel, -Migrate...) read ``app.testing``, register hooks,
context processors, filters and blueprints; these land on the FastAPI app's own machinery. End state:
the extension's FastAPI counterpart, or the feature done by hand.
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.applications import Starlette
from starlette.routing import Mount

from . import app_folders, converted_handlers, jinja_loader, router_cli, url_processors, wsgi_middlewares
from .blueprint_twins import register_twin, twin_of
from .dispatch_steps import FlaskDispatch
from .registered_routers import registered
from .request_limits import RequestClass
from .responses import make_response
from .server_errors import flask_error
from .shadow_g import SharedG, forward_pushed
from .shadow_urls import adapter_for
from .stand_in import flask_app_for, stand_in
from .view_functions import ViewFunctions

_log = logging.getLogger("_flask_compat")
_warned: set[str] = set()
_FACES: dict[type, type] = {}


def _extension_hook(fn: Callable, kind: str) -> Callable:
    """An extension's hook, run as Flask ran it; one that reads Flask's request runs, from then on, in Flask's request
    context routed to the request's route (``flask_request.in_flask_request``: Flask-Limiter's ``before_request``
    checks the default and blueprint limits by ``request.endpoint`` and ``request.blueprint``; skipped, no limit
    held). So does one failing otherwise outside it: what it reads gave None there instead of Flask's error
    (Flask-Login 0.4's ``current_user``, whose ``.id`` Flask-Principal's identity hook read: skipped, no identity).
    Werkzeug's HTTP error raised by a ``before_request`` hook (Flask-Limiter's 429) answers the request as Flask's
    did. Any other failure is logged and the hook skipped: an ``after_request`` hook returns the response unchanged.
    """
    in_flask: list[bool] = []

    def call(*args: Any) -> Any:
        from .flask_request import in_flask_request

        if not in_flask:
            try:
                return fn(*args)
            except Exception as exc:  # Flask's request read outside its context, or read as None there
                if _werkzeug_http_error(exc):
                    raise
                answer = in_flask_request(fn, *args)  # failing there too: skipped below
                in_flask.append(True)
                return answer
        return in_flask_request(fn, *args)

    @functools.wraps(fn)
    def run(*args: Any) -> Any:
        try:
            return call(*args)
        except Exception as exc:  # the extension reads Werkzeug's Response API, or Flask is gone
            if kind == "before_request" and _werkzeug_http_error(exc):
                from .errors import from_werkzeug_error

                raise from_werkzeug_error(exc) from exc
            where = f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', fn)}"
            if where not in _warned:
                _warned.add(where)
                _log.warning("%s hook %s skipped on FastAPI: %s: %s", kind, where, type(exc).__name__, exc)
            return args[0] if kind == "after_request" and args else None

    return run


def _werkzeug_http_error(exc: BaseException) -> bool:
    werkzeug_exceptions = sys.modules.get("werkzeug.exceptions")
    return werkzeug_exceptions is not None and isinstance(exc, werkzeug_exceptions.HTTPException) and bool(exc.code)


def _once(fn: Callable) -> Callable:
    done: list[bool] = []

    @functools.wraps(fn)
    def first(*args: Any) -> Any:
        if not done:
            done.append(True)
            return fn(*args)
        return None

    return first


def _config_attribute(key: str) -> property:
    return property(lambda self: self.config.get(key), lambda self, value: self.config.__setitem__(key, value))


class _FlaskFace(FlaskDispatch):
    """The methods and attributes a Flask app has and Flask extensions call."""

    testing = _config_attribute("TESTING")
    debug = _config_attribute("DEBUG")  # Flask's: the config's (FastAPI's own debug stayed False whatever it said)
    secret_key = _config_attribute("SECRET_KEY")
    permanent_session_lifetime = _config_attribute("PERMANENT_SESSION_LIFETIME")
    response_class = Response  # read and replaced by pytest-flask's fixtures (a subclass with .json); unused here
    request_class = RequestClass  # its form limits, set by a factory (request_limits)
    jinja_loader = property(jinja_loader.get, jinja_loader.put)  # an app's own template loader, replaceable
    template_folder = property(app_folders.template_folder, app_folders.set_template_folder)  # a theme's, set later
    static_folder = property(app_folders.static_folder, app_folders.set_static_folder)
    has_static_folder = property(lambda self: self.static_folder is not None)  # read by extensions (Flask-Assets)

    @property
    def name(self) -> str:
        return self.import_name

    async def __call__(self, scope, receive, send) -> None:
        """Starlette's call: ``app.root_path`` is Flask's folder here, not FastAPI's proxy prefix for the scope."""
        await Starlette.__call__(self, scope, receive, send)

    def include_router(self, router: Any, *args: Any, **kwargs: Any) -> None:
        """FastAPI's, noting the prefix: a REST Api kept on Flask (flask_hosted) serves its blueprint there; a
        blueprint's template and static folders (``blueprint_folders``) are served by the app, as Flask did."""
        if registered(self, router, kwargs):  # a Blueprint subclass's own register() includes it
            return None
        if hasattr(router, "deferred_functions"):  # an extension's Flask Blueprint, its options (redis_conn=...) too
            options = {("url_prefix" if k == "prefix" else k): v for k, v in kwargs.items()}
            return self.register_blueprint(router, **options)
        prefix = kwargs.get("prefix", "")
        own = getattr(router, "prefix", "") or ""
        if own and kwargs.get("prefix") is not None:  # register_blueprint's url_prefix replaces the blueprint's
            router = _re_rooted(router, own)
        else:
            prefix = (prefix or "") + own
        self.__dict__.setdefault("_included_routers", []).append((router, prefix))  # the routes' whole prefix
        router_cli.add_to_app(self, router)  # a blueprint's commands (``@bp.cli.command``) in app.cli, as Flask's
        register_twin(self, router, prefix)  # what an extension recorded on its Flask Blueprint
        folders = getattr(router, "flask_folders", None)
        if folders is not None:
            _serve_folders(self, folders, prefix)
        return super().include_router(router, *args, **kwargs)

    def before_request(self, fn: Callable) -> Callable:
        self.__dict__[_HOOKED] = True  # an extension's hook: its state on Flask's g (flask_app_context)
        self.hooks["before"].append(_extension_hook(fn, "before_request"))
        return fn

    def before_first_request(self, fn: Callable) -> Callable:
        self.hooks["before"].append(_extension_hook(_once(fn), "before_first_request"))
        return fn

    def after_request(self, fn: Callable) -> Callable:
        self.hooks["after"].append(_extension_hook(fn, "after_request"))
        return fn

    def teardown_request(self, fn: Callable) -> Callable:
        self.hooks["teardown"].append(_extension_hook(fn, "teardown_request"))
        return fn

    teardown_appcontext = teardown_request

    def context_processor(self, fn: Callable) -> Callable:
        self.context_processors.append(fn)
        return fn

    def template_filter(self, name: str | None = None) -> Callable[[Callable], Callable]:
        return lambda fn: self.add_template_filter(fn, name)

    def add_template_filter(self, fn: Callable, name: str | None = None) -> Callable:
        self.jinja_env.filters[name or fn.__name__] = fn
        return fn

    def template_global(self, name: str | None = None) -> Callable[[Callable], Callable]:
        return lambda fn: self.add_template_global(fn, name)

    def add_template_global(self, fn: Callable, name: str | None = None) -> Callable:
        self.jinja_env.globals[name or fn.__name__] = fn
        return fn

    def template_test(self, name: str | None = None) -> Callable[[Callable], Callable]:
        def register(fn: Callable) -> Callable:
            self.jinja_env.tests[name or fn.__name__] = fn
            return fn

        return register

    def shell_context_processor(self, fn: Callable) -> Callable:
        return fn  # the flask shell is not there: nothing to add to

    def url_value_preprocessor(self, fn: Callable) -> Callable:
        self.url_value_preprocessors[None].append(fn)  # run before the before_request hooks (url_processors)
        return fn

    def url_defaults(self, fn: Callable) -> Callable:
        self.url_default_functions[None].append(fn)  # run by url_for (url_processors)
        return fn

    def errorhandler(self, key: Any) -> Callable[[Callable], Callable]:
        def register(fn: Callable) -> Callable:
            self.register_error_handler(key, fn)
            return fn

        return register

    def register_error_handler(self, key: Any, fn: Callable) -> None:
        self.__dict__.setdefault("flask_error_handlers", []).append((key, fn))  # a hosted Flask app's too
        if isinstance(key, type) and key.__module__.startswith("werkzeug") and getattr(key, "code", None):
            key = key.code  # NotFound -> 404, as the app's own handlers are keyed
        if converted_handlers.takes_request(fn):  # the app's own handler, converted: called as Starlette calls it
            return self.add_exception_handler(key, fn)

        async def handler(request: Request, exc: Exception) -> Any:
            return make_response(fn(flask_error(key, exc)))  # Werkzeug's error, as Flask handed it

        self.add_exception_handler(key, handler)

    def register_blueprint(self, blueprint: Any, **options: Any) -> None:
        """An extension's Flask blueprint: its templates, static files, template helpers and views."""
        router = getattr(blueprint, "router", None)
        if router is not None and twin_of(router) is blueprint:  # the Flask Blueprint of a router (blueprint_twins)
            blueprint = router
        if hasattr(blueprint, "routes") and not hasattr(blueprint, "deferred_functions"):
            given = {"prefix": options["url_prefix"] or ""} if options.get("url_prefix") is not None else {}
            self.include_router(blueprint, **given)
            return
        root = getattr(blueprint, "root_path", None) or self.root_path
        if getattr(blueprint, "template_folder", None):
            _add_template_folder(self, os.path.join(root, blueprint.template_folder))
        if getattr(blueprint, "static_folder", None):
            prefix = options.get("url_prefix") or getattr(blueprint, "url_prefix", None) or ""
            path = blueprint.static_url_path or f"{prefix}/{os.path.basename(blueprint.static_folder)}"
            files = StaticFiles(directory=blueprint.static_folder, check_dir=False)
            self.router.routes.insert(0, Mount(path, app=files, name=f"{blueprint.name}.static"))  # before /static
        self.blueprints[blueprint.name] = blueprint
        state = _SetupState(self, blueprint, options)
        for deferred in getattr(blueprint, "deferred_functions", ()):  # filters, globals, processors, views
            try:
                deferred(state)
            except Exception as exc:  # an extension's registration that needs Flask itself
                _log.warning("blueprint %r: %r not registered on FastAPI: %s", blueprint.name, deferred, exc)

    def add_url_rule(self, rule: str, endpoint: str | None = None, view_func: Callable | None = None, **options):
        """An extension's URL rule: the view answers through Flask's return-value rules."""
        if view_func is None:
            return
        from .extension_views import extension_endpoint, flask_path  # an extension's view: in a Flask request context

        view = extension_endpoint(view_func, self)
        methods = list(options.get("methods") or getattr(view_func, "methods", None) or ["GET"])  # a View's, as Flask
        name = endpoint or view_func.__name__
        self.add_api_route(flask_path(rule), view, methods=methods, name=name, include_in_schema=False)

    def route(self, rule: str, **options: Any) -> Callable:
        """Flask's ``@app.route`` for code that still calls it on the app (its old tests add a view)."""

        def decorator(view_func: Callable) -> Callable:
            self.add_url_rule(rule, options.pop("endpoint", None), view_func, **options)
            return view_func

        return decorator

    def handle_exception(self, error: Exception) -> Any:  # extensions wrap these; FastAPI's handlers answer
        raise error

    def make_response(self, rv: Any) -> Any:
        """Flask's ``app.make_response(rv)``: a view's return value (a redirect, ``(body, status)``) as a response."""
        return make_response(rv)

    def wsgi_app(self, environ: Any, start_response: Any) -> Any:  # extensions wrap it; FastAPI serves over ASGI
        return wsgi_middlewares.inner(environ, start_response)  # reached through the app's WSGI middleware only


class _SetupState:
    """What Flask hands a blueprint's deferred functions (``BlueprintSetupState``), on the FastAPI app."""

    def __init__(self, app: Any, blueprint: Any, options: dict):
        self.app, self.blueprint, self.options = app, blueprint, options
        self.first_registration, self.subdomain, self.name_prefix = True, None, ""
        self.name = options.get("name", blueprint.name)
        self.url_prefix = options.get("url_prefix") or getattr(blueprint, "url_prefix", None)
        self.url_defaults = dict(getattr(blueprint, "url_values_defaults", {}) or {})

    def add_url_rule(self, rule: str, endpoint: str | None = None, view_func: Callable | None = None, **options):
        if self.url_prefix:
            rule = "/".join((self.url_prefix.rstrip("/"), rule.lstrip("/"))) if rule else self.url_prefix
        endpoint = f"{self.name}.{endpoint or getattr(view_func, '__name__', 'view')}"
        options.pop("defaults", None)
        self.app.add_url_rule(rule, endpoint, view_func, **options)


def blueprint_folders(router: Any, import_name: str, **folders: Any) -> Any:
    """``Blueprint(name, __name__, template_folder=..., static_folder=...)``: the router, with its folders (relative
    to the blueprint's module, as Flask took them) for the app that includes it to serve."""
    module = sys.modules.get(import_name)
    root = os.path.dirname(os.path.abspath(module.__file__)) if getattr(module, "__file__", None) else os.getcwd()
    tags = getattr(router, "tags", None) or [import_name]
    router.flask_folders = {"root": root, "name": str(tags[0]), **folders}
    return router


def _serve_folders(app: Any, folders: dict, prefix: str) -> None:
    root = folders["root"]
    if folders.get("template_folder"):
        _add_template_folder(app, os.path.join(root, folders["template_folder"]))
    if folders.get("static_folder"):
        directory = os.path.join(root, folders["static_folder"])
        path = folders.get("static_url_path") or f"{prefix}/{os.path.basename(directory.rstrip('/'))}"
        files = StaticFiles(directory=directory, check_dir=False)
        app.router.routes.append(Mount(path, app=files, name=f"{folders['name']}.static"))  # after the app's own


def _add_template_folder(app: Any, folder: str) -> None:
    from jinja2 import ChoiceLoader, FileSystemLoader

    loader = app.jinja_env.loader
    loaders = list(loader.loaders) if isinstance(loader, ChoiceLoader) else [loader] if loader else []
    app.jinja_env.loader = ChoiceLoader([*loaders, FileSystemLoader(folder)])


_OWN_EXTENSIONS = {"sqlalchemy", "csrf"}  # the helpers' own entries in app.extensions
_HOOKED = "_flask_extension_hooks"  # an extension (Flask-OIDC) registered a before_request hook, in no extensions


def flask_app_context(app: Any, g: dict | None = None) -> Any:
    """A real Flask app context sharing this app's config and extensions, or None when nothing needs one.

    Extensions read ``flask.current_app`` when they send mail or render their templates, and ``flask.g`` its
    ``before_request`` hook set (the hook's Flask request context reuses this app context); pushed per request.
    Its ``g`` is the request's, or ``g`` (the helper's app context's, or test request context's: ``SharedG``).
    """
    shadow = app.__dict__.get("_flask_shadow")
    wanted = set(getattr(app, "extensions", ())) - _OWN_EXTENSIONS or app.__dict__.get(_HOOKED)
    if shadow is None and wanted:  # not kept while there is none:
        try:  # an app context pushed in the factory before the extensions' init_app asked too early
            import flask
        except ImportError:  # Flask gone: the extensions that need it went with it
            flask = None
        if flask is not None:
            shadow = flask_app_for(flask, app)
            shadow.config, shadow.extensions = app.config, app.extensions
            for key, value in flask.Flask.default_config.items():  # Flask's own reads (JSON_AS_ASCII, Flask < 2.3)
                shadow.config.setdefault(key, value)
            shadow.create_url_adapter = adapter_for(app, shadow.create_url_adapter)
            shadow.__dict__["jinja_env"] = app.jinja_env
            url_processors.share(app, shadow)
            app._flask_shadow = stand_in(shadow, app)
            forward_pushed(flask, shadow, app)  # a test's appcontext_pushed receiver for the app (shadow_g)
    return SharedG(shadow.app_context(), g) if shadow is not None else None


def _re_rooted(router: Any, own: str) -> Any:
    """A copy of ``router`` whose routes' paths lose its own prefix (FastAPI put it in each path as they were
    declared): Flask's ``register_blueprint(bp, url_prefix=...)`` replaces the blueprint's prefix, FastAPI's
    ``include_router(prefix=...)`` adds to it (``/auth/auth/login``)."""
    routes = []
    for route in router.routes:
        path = getattr(route, "path", None)
        if isinstance(path, str) and path.startswith(own):
            route = copy.copy(route)
            route.path = path[len(own) :]
        routes.append(route)
    rooted = copy.copy(router)
    rooted.routes = routes
    rooted.prefix = ""
    return rooted


def install(app: FastAPI) -> None:
    """Give ``app`` Flask's face: its class gains ``_FlaskFace`` (it stays a FastAPI app)."""
    base = type(app)
    if isinstance(app, _FlaskFace):
        return
    if base not in _FACES:
        _FACES[base] = type(base.__name__, (_FlaskFace, base), {"__module__": base.__module__})
    app.__class__ = _FACES[base]
    app.blueprints = {}
    url_processors.processors(app)  # url_defaults and url_value_preprocessor callbacks, by blueprint
    app.view_functions = ViewFunctions(app)  # its routes' views by name, and what the app stores
