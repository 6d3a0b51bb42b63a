"""Flask's ``Flask(__name__)``: ``init_app`` gives a FastAPI app config, templates, static files, sessions, hooks.

Flask gave these for free; end state: FastAPI(lifespan=...), Jinja2Templates, StaticFiles, SessionMiddleware.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import face, route_order
from .config import DEFAULTS, Config
from .context import _app_context, _Proxy, _request, g, session
from .cors import _FlaskCORS
from .errors import _ROUTER_HANDLERS, _bad_request, _error_page, _install_scoped_handlers, _werkzeug_error
from .flashing import _template_flashes
from .flask_hosted import _flask_fallback
from .jsonprovider import provider
from .memory_sqlite import share_memory_databases
from .middleware import _FlaskContext
from .redirects import _slash_redirect
from .responses import ViewResponse
from .server_errors import in_request_context
from .sessions import FlaskSessions
from .template_request import TemplateRequest
from .templates import _template_context
from .testing import test_cli_runner, test_request_context
from .url_processors import UrlMap, install_router_processors
from .urls import _template_url_for


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
    face.install(app)  # Flask's methods and attributes, for extensions' init_app(app)
    share_memory_databases(root)  # sync views run in a thread pool: the app's sqlite:// engines one database for all
    app.import_name = import_name
    app.root_path = root
    app.instance_path = instance_path or os.path.join(os.path.dirname(root), "instance")
    app.config = Config(app.instance_path if instance_relative_config else root, DEFAULTS)
    app.extensions = {}
    app.logger = logging.getLogger(import_name)
    app.app_context = functools.partial(_app_context, app)  # g and current_app outside requests; push()/pop()
    app.test_request_context = functools.partial(test_request_context, app)  # the app's old tests
    app.test_cli_runner = functools.partial(test_cli_runner, app)
    app.open_resource = lambda resource, mode="rb": open(os.path.join(root, resource), mode)
    with contextlib.suppress(ImportError):
        import click

        app.cli = click.Group(import_name)  # end state: the project's own command line
    build = app.build_middleware_stack

    def build_with_router_handlers():
        from fastapi.exception_handlers import http_exception_handler

        for key, handler in _ROUTER_HANDLERS:  # the app's own handler stays; a default gives way, as in Flask
            if app.exception_handlers.get(key) in (None, _error_page, http_exception_handler):
                app.exception_handlers[key] = handler
        _install_scoped_handlers(app)
        install_router_processors(app)  # a blueprint's url_defaults / url_value_preprocessor
        route_order.put_in_order(app)  # Werkzeug's order where a route shadows a more specific later one
        stack = build()
        in_request_context(app, stack)  # the app's handler for 500 where Starlette calls it (server_errors)
        server_error = app.exception_handlers.get(500)
        if server_error is not None:
            # Flask: the handler for 500 answers abort(500) too; Starlette gives it only unhandled errors
            from starlette.middleware.exceptions import ExceptionMiddleware

            node = stack
            while node is not None:
                if isinstance(node, ExceptionMiddleware):
                    node._status_handlers.setdefault(500, server_error)
                    break
                node = getattr(node, "app", None)
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
    # Flask served no /docs, /redoc or /openapi.json: FastAPI's own pages go (end state: keep them)
    generated = {app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url} - {None}
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) not in generated]
    app.openapi_url = app.docs_url = app.redoc_url = None
    # Flask's trailing slashes: a rule ending in "/" answers the slashless URL with a 308 to the
    # slashed one; a rule without one answers the slashed URL with 404 (Starlette redirects both ways)
    app.router.redirect_slashes = False
    app.url_map = UrlMap(app)  # strict_slashes, converters; is_endpoint_expecting on the app's routes
    # a REST extension's Api kept on Flask (flask_hosted) answers what no FastAPI route does
    app.router.default = _slash_redirect(app, _flask_fallback(app, app.router.default))
    directory = os.path.join(root, template_folder or "templates")
    app.templates = Jinja2Templates(directory=directory, context_processors=[_template_context])
    app.jinja_env = app.templates.env
    # Flask's template globals: imported macros (``{% from ... import %}``) see these, not the render context
    app.jinja_env.globals.update(
        url_for=_template_url_for,
        get_flashed_messages=_template_flashes,
        request=_Proxy(lambda: TemplateRequest(_request())),
        session=session,
        g=g,
        config=app.config,
    )
    app.context_processors = []
    app.hooks = {"before": [], "after": [], "teardown": []}
    app.template_folder, app.static_folder, app.static_url_path = template_folder, None, None
    if static_folder:
        static_dir = os.path.join(root, static_folder)
        path = static_url_path if static_url_path is not None else "/" + os.path.basename(static_folder.rstrip("/"))
        app.static_folder, app.static_url_path = static_dir, path.rstrip("/") or "/static"
        app.mount(app.static_url_path, StaticFiles(directory=static_dir, check_dir=False), name="static")
    app.json = provider(app)  # Flask's app.json: sort_keys, ensure_ascii, compact
    # a returned dict: Flask's bytes; a str (a view decorator's rendered template): text/html, as Flask's
    app.router.default_response_class = app.default_response_class = ViewResponse
    app.add_middleware(_FlaskContext, flask_app=app)
    app.add_middleware(FlaskSessions, flask_app=app)  # the Flask app's own session cookie
    app.add_middleware(_FlaskCORS, flask_app=app)
    app.add_exception_handler(RequestValidationError, _bad_request)
    app.add_exception_handler(StarletteHTTPException, _error_page)
    with contextlib.suppress(ImportError):  # Flask's abort() left in code that stays on Flask
        from werkzeug.exceptions import HTTPException as WerkzeugHTTPException

        app.add_exception_handler(WerkzeugHTTPException, _werkzeug_error)
    return app
