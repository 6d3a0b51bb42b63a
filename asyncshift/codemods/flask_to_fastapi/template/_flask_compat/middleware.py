"""Flask's request cycle as ASGI middleware: the current request for the proxies, hooks, HEAD/OPTIONS.

Flask did this around every view (sessions: ``sessions.py``); end state: dependencies and @app.middleware.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from . import wsgi_middlewares
from .context import CALLER_CONTEXT, KEPT_REQUESTS, _current, share_caller_g
from .cors import answers_options
from .errors import _http_error
from .face import flask_app_context
from .flask_threads import follow_the_request, leave
from .hooks import _after_hooks, _call, hooks_for, teardowns
from .inputs import PASSED_BODY, read_form_ahead
from .redirects import _DEFAULT_ROUTES, _absolute, _defaults_redirect, absolute_locations, redirect
from .responses import make_response
from .server_errors import server_error_answer
from .shadow_request_state import request_scoped
from .url_processors import preprocess_request
from .urls import _all_routes


class _FlaskContext:
    """Makes the current request reachable from helpers (``g``, ``request``) and runs the request hooks."""

    def __init__(self, app: Any, flask_app: FastAPI):
        self.app, self.flask_app = app, flask_app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wrapping = self.flask_app.__dict__.get("wsgi_app")  # app.wsgi_app = SomeMiddleware(app.wsgi_app)
        if wrapping is not None:
            handed = await wsgi_middlewares.through(wrapping, scope, receive, send)
            if handed is None:
                return
            scope, send = handed
        automatic = None  # Flask's own OPTIONS answer: after the before_request hooks, through the after_request ones
        if scope["method"] in ("HEAD", "OPTIONS"):
            allowed = self._allowed(scope)
            options = scope["method"] == "OPTIONS" and allowed  # the view's own if listed, unless @cross_origin's
            if options and ("OPTIONS" not in allowed or answers_options(self.flask_app, scope)):
                methods = allowed | {"OPTIONS"} | ({"HEAD"} if "GET" in allowed else set())
                automatic = HTMLResponse("", headers={"Allow": ", ".join(sorted(methods))})
            if scope["method"] == "HEAD" and "GET" in allowed and "HEAD" not in allowed:
                scope, send = {**scope, "method": "GET"}, _without_body(send)
        send = absolute_locations(scope, send)
        if _DEFAULT_ROUTES:
            location = _defaults_redirect(self.flask_app, scope)
            if location is not None:
                await redirect(_absolute(scope, location), 308)(scope, receive, send)
                return
        caller = self.flask_app.__dict__.get(CALLER_CONTEXT)
        if caller is not None:  # the app's old tests: the request runs in their app context, as Flask's client did
            scope[CALLER_CONTEXT] = caller
            share_caller_g(scope)
        request = Request(scope, receive)
        kept = self.flask_app.__dict__.get(KEPT_REQUESTS)
        if kept is not None:  # a test's ``with client:``: it reads this request's session, g and request after it
            kept.append(request)
        token, serving = _current.set(request), follow_the_request()
        flask_context = request_scoped(flask_app_context(self.flask_app))  # for extensions reading current_app
        if flask_context is not None:
            flask_context.push()
        error: BaseException | None = None
        form = None
        try:
            form = await read_form_ahead(request)
            after = self._hooks("after", scope)
            respond = _after_hooks(after, request, send)  # with none, still what the view gives after_this_request
            try:  # as Flask's finalize_request: what a hook answers, or its HTTP error, goes through after hooks
                preprocess_request(self.flask_app, scope)  # Flask: url_value_preprocessors, then before hooks
                for hook in self._hooks("before", scope):
                    rv = await _call(hook, request)
                    if rv is not None:
                        await make_response(rv)(scope, receive, respond)
                        return
            except StarletteHTTPException as exc:  # abort() in a hook: the app's handler for it answers
                await (await _http_error(request, exc))(scope, receive, respond)
                return
            if "_body" in request.__dict__:  # a hook read the body: the view reads it again
                receive = _replay(request._body, receive)
            else:
                receive = _teed(scope, receive)
            started: list[bool] = []

            async def send_tracked(message):
                if message["type"] == "http.response.start":
                    started.append(True)
                await respond(message)

            try:
                await (automatic or self.app)(scope, receive, send_tracked)
            except Exception as exc:
                if started:
                    raise
                error = exc
                await self._server_error(request, exc, scope, receive, respond)
        except BaseException as exc:
            error = exc
            raise
        finally:
            for hook in teardowns(self._hooks("teardown", scope), scope):
                await _call(hook, request, error)
            if flask_context is not None:
                flask_context.pop()
            leave(serving)
            _current.reset(token)
            if form is not None:
                await form.close()  # its uploaded files' spooled temporary files

    async def _server_error(self, request: Request, exc: Exception, scope, receive, respond) -> None:
        """Flask's ``handle_exception``: logged, Werkzeug's 500 page through the after_request hooks, re-raised
        only when Flask would propagate it (``PROPAGATE_EXCEPTIONS``, else testing or debug)."""
        from starlette.exceptions import HTTPException as StarletteHTTPException

        from .errors import _error_page

        app = self.flask_app
        app.logger.error("Exception on %s [%s]", request.url.path, request.method, exc_info=exc)
        propagate = app.config.get("PROPAGATE_EXCEPTIONS")
        if propagate is None:
            propagate = bool(app.config.get("TESTING") or app.config.get("DEBUG"))
        response = None if propagate else await server_error_answer(app, request, exc)  # the app's 500 handler
        if response is None:
            response = await _error_page(request, StarletteHTTPException(500))
        await response(scope, receive, respond)
        if propagate:
            raise exc

    def _allowed(self, scope) -> set[str]:
        """Methods of the routes matching the path: Flask answers OPTIONS itself and HEAD like GET."""
        methods: set[str] = set()
        for route in _all_routes(self.flask_app.routes):
            route_methods = getattr(route, "methods", None)
            if route_methods and route.matches({**scope, "method": next(iter(route_methods))})[0] == Match.FULL:
                methods |= set(route_methods)
        return methods

    def _hooks(self, kind: str, scope) -> list[Callable]:
        return hooks_for(self.flask_app, kind, scope)


def _teed(scope: dict, receive):
    """``receive``, keeping the body as it passes (``PASSED_BODY``): a hook reading it in Flask's request context after
    the view or the Flask host read it waited for more of a stream that had none left (the request hung)."""
    chunks: list[bytes] = []

    async def teeing():
        message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                scope[PASSED_BODY] = b"".join(chunks)
        return message

    return teeing


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
