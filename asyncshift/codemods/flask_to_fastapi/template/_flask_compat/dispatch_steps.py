"""Flask's request steps called one by one: ``preprocess_request``, ``dispatch_request``, ``process_response``,
``handle_user_exception``, ``full_dispatch_request``, and the hook lists (``before_request_funcs``...).

Old test clients drive a request through these inside ``app.test_request_context(...)`` rather than through the
app; here they run the converted app's hooks, routes and error handlers on the context's request, on one event loop
per thread (an async engine's pooled connections stay on the loop that opened them). End state: FastAPI's
TestClient.
"""

from __future__ import annotations

import asyncio
import atexit
import threading
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from .context import _current
from .hooks import HookFuncs, _call, hooks_for
from .hosted_errors import as_werkzeug
from .url_processors import preprocess_request as preprocess_url_values

_loops = threading.local()


def run_here(awaitable: Any, step: str) -> Any:
    """``awaitable`` run to its end on this thread's loop, in the caller's context (its request, its ``g``)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        awaitable.close()
        raise RuntimeError(
            f"app.{step}() was called on a running event loop: it cannot wait there for the app's async hooks and "
            "views; await the request through FastAPI's TestClient or httpx.AsyncClient instead"
        )
    loop = getattr(_loops, "loop", None)
    if loop is None or loop.is_closed():
        loop = _loops.loop = asyncio.new_event_loop()
        atexit.register(loop.close)
    return loop.run_until_complete(awaitable)


def _context_request(step: str) -> Any:
    request = _current.get(None)
    if request is None:
        raise RuntimeError(f"app.{step}() works on a request context: call it inside app.test_request_context(...)")
    return request


def _raise_as_werkzeug(error: StarletteHTTPException) -> None:
    translated = as_werkzeug(error)
    if translated is error:
        raise error
    raise translated from error


def _as_starlette(error: BaseException) -> BaseException:
    """A Werkzeug HTTP error handed back (``handle_user_exception(e)``) as the app's handlers are keyed."""
    if isinstance(error, StarletteHTTPException) or not isinstance(getattr(error, "code", None), int):
        return error
    if not type(error).__module__.startswith("werkzeug"):
        return error
    if isinstance(error.__cause__, StarletteHTTPException):
        return error.__cause__
    return StarletteHTTPException(error.code, getattr(error, "description", None))


def _replay(body: bytes):
    sent: list[bool] = []

    async def receive() -> dict:
        if sent:
            return {"type": "http.disconnect"}
        sent.append(True)
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _with_exit_stack(router: Any) -> Any:
    """The router inside FastAPI's own exit-stack middleware (where it exists), which its routes expect."""
    try:
        from fastapi.middleware.asyncexitstack import AsyncExitStackMiddleware
    except ImportError:
        return router
    return AsyncExitStackMiddleware(router)


class FlaskDispatch:
    """The steps of Flask's ``full_dispatch_request`` on the face, for code that calls them itself."""

    before_request_funcs = property(lambda self: HookFuncs(self, "before"))
    after_request_funcs = property(lambda self: HookFuncs(self, "after"))
    teardown_request_funcs = property(lambda self: HookFuncs(self, "teardown"))

    def _built(self) -> None:
        if self.middleware_stack is None:  # the handlers and route order the first request would settle
            self.middleware_stack = self.build_middleware_stack()

    def preprocess_request(self) -> Any:
        """The url_value_preprocessors, then the before_request hooks; the first hook's answer, else None."""
        request = _context_request("preprocess_request")
        self._built()

        async def run() -> Any:
            preprocess_url_values(self, request.scope)
            for hook in hooks_for(self, "before", request.scope):
                rv = await _call(hook, request)
                if rv is not None:
                    return rv
            return None

        try:
            return run_here(run(), "preprocess_request")
        except StarletteHTTPException as exc:
            _raise_as_werkzeug(exc)

    def dispatch_request(self) -> Response:
        """The matching route's answer; its errors (``abort``, no route: 404, another method: 405) raised, as
        Flask raised them, for the caller to handle."""
        request = _context_request("dispatch_request")
        self._built()
        scope = request.scope
        scope.setdefault("app", self)
        scope["starlette.exception_handlers"] = ({}, {})  # no handler here: the error reaches the caller
        messages: list[dict] = []

        async def send(message: dict) -> None:
            messages.append(message)

        body = request.__dict__.get("_body", b"")
        try:
            run_here(_with_exit_stack(self.router)(scope, _replay(body), send), "dispatch_request")
        except StarletteHTTPException as exc:
            _raise_as_werkzeug(exc)
        start = next(m for m in messages if m["type"] == "http.response.start")
        response = Response(b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body"))
        response.status_code = start["status"]
        response.raw_headers = list(start.get("headers", []))
        return response

    def process_response(self, response: Any) -> Any:
        """The after_request hooks (last registered first), then the session saved on the response."""
        from starlette.datastructures import MutableHeaders

        from .session_interfaces import own_interface, save_with
        from .sessions import save_session

        request = _context_request("process_response")
        self._built()

        async def run(response: Any) -> Any:
            for hook in reversed(hooks_for(self, "after", request.scope)):
                response = await _call(hook, request, response) or response
            return response

        response = run_here(run(response), "process_response")
        session = request.scope.get("session")
        if session is not None:
            headers = MutableHeaders(raw=response.raw_headers)
            interface = own_interface(self)
            if interface is not None:
                save_with(interface, self, session, headers)
            else:
                save_session(self.config, session, headers, self.config.get("SECRET_KEY"))
        return response

    def handle_user_exception(self, error: BaseException) -> Any:
        """The app's handler's answer for ``error`` (an HTTP error: its code's, else its class's). With none, an
        HTTP error is handed back and any other raised again, as Flask did."""
        from fastapi.exception_handlers import http_exception_handler

        from .errors import _answer, _error_page, _werkzeug_error

        request = _context_request("handle_user_exception")
        self._built()
        exc = _as_starlette(error)
        keys = [exc.status_code] if isinstance(exc, StarletteHTTPException) else []
        defaults = (_error_page, _werkzeug_error, http_exception_handler)  # the helper's pages: not the app's handler
        handlers = [self.exception_handlers.get(k) for k in [*keys, *type(exc).__mro__]]
        handler = next((h for h in handlers if h is not None and h not in defaults), None)
        if handler is not None:
            return run_here(_answer(handler, request, exc), "handle_user_exception")
        if isinstance(exc, StarletteHTTPException):
            return error
        raise error

    handle_http_exception = handle_user_exception

    def full_dispatch_request(self) -> Any:
        """Flask's: preprocess, dispatch, the error's handler, then make_response and process_response."""
        try:
            rv = self.preprocess_request()
            if rv is None:
                rv = self.dispatch_request()
        except Exception as exc:
            rv = self.handle_user_exception(exc)
        return self.process_response(self.make_response(rv))
