"""Flask's error handling: its HTML error pages, 400 for bad input, blueprint-scoped and app-wide handlers.

Clients get Flask's answers; end state: FastAPI's JSON errors and handlers for your own exception classes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .flask_responses import from_werkzeug
from .urls import _all_routes
from .werkzeug_errors import DESCRIPTIONS as _DESCRIPTIONS
from .werkzeug_errors import WerkzeugError, status_name

_werkzeug_get_response = WerkzeugError.get_response


async def _error_page(request: Request, exc: StarletteHTTPException) -> Response:
    """Flask's HTML error page for an HTTP error no handler took; end state: FastAPI's JSON ``{"detail": ...}``.

    As in Flask, a handler registered for ``Exception`` takes HTTP errors that nothing more specific took.
    """
    catch_all = request.app.exception_handlers.get(Exception)
    if catch_all is not None:
        answer = (
            catch_all(request, exc)
            if inspect.iscoroutinefunction(catch_all)
            else await run_in_threadpool(catch_all, request, exc)
        )
        return await answer if inspect.isawaitable(answer) else answer
    return error_page(exc)


def error_page(exc: Any) -> Response:
    """Werkzeug's HTML page for an HTTP error (``e.get_response()``): its name, then its escaped description; a
    project's Werkzeug error with a ``get_response`` of its own (a redirect), or one raised with a ``response``,
    answers with it, as in Flask."""
    own = getattr(type(exc), "get_response", None)
    if own is not None and own is not _werkzeug_get_response:
        answer = exc.get_response(None)
        if isinstance(answer, Response):
            return answer
    carried = getattr(exc, "response", None)  # raised with ``response=``: Werkzeug's get_response() gives it
    carried = carried if carried is None or isinstance(carried, Response) else from_werkzeug(carried)
    if carried is not None:
        return carried
    if exc.status_code < 400 or exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=getattr(exc, "headers", None))
    phrase = status_name(exc.status_code)
    body = (
        f"<!doctype html>\n<html lang=en>\n<title>{exc.status_code} {phrase}</title>\n"
        f"<h1>{phrase}</h1>\n<p>{_escape(error_description(exc))}</p>\n"
    )
    return HTMLResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))


def error_description(error: Any) -> str:
    """Werkzeug's ``e.description``: the one the error was raised with, else Werkzeug's text for its code
    (Starlette's ``detail`` defaults to the short phrase, "Not Found")."""
    from http import HTTPStatus

    own = getattr(error, "description", None)
    if own is not None:
        return own
    code = getattr(error, "status_code", None)
    detail = getattr(error, "detail", None)
    phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else None
    return detail if detail and detail != phrase else _DESCRIPTIONS.get(code, "")


def _escape(text: Any) -> str:
    """Werkzeug's escaping of an error description: MarkupSafe's (``&#39;``), line breaks as ``<br>``."""
    from markupsafe import Markup, escape

    return str(escape(str(text)).replace("\n", Markup("<br>")))


async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
    """Flask answers a missing form field or header with its 400 page (FastAPI: 422 JSON).

    A path its converter rejects is a 404; the app's own handler for the code answers, as in Flask.
    """
    path = any(error.get("loc", ("",))[0] == "path" for error in exc.errors())
    return await _http_error(request, StarletteHTTPException(404) if path else _bad_body(request, exc))


def _bad_body(request: Request, exc: RequestValidationError) -> StarletteHTTPException:
    """A JSON body FastAPI could not parse for a ``Body()`` parameter: Flask's ``on_json_loading_failed`` (its reason
    in debug only); any other invalid input: a bare 400."""
    import json

    from .inputs import json_loading_failed

    for error in exc.errors():
        if error.get("type") == "json_invalid" and isinstance(getattr(exc, "body", None), str):
            reason = json.JSONDecodeError(str(error.get("ctx", {}).get("error", "")), exc.body, error["loc"][-1])
            return json_loading_failed(request, reason)
    return StarletteHTTPException(400)


async def _werkzeug_error(request: Request, exc: Any) -> Response:
    """Werkzeug's error raised by code left on Flask (``flask.abort(404)`` used as a value, marked with a TODO):
    the HTTP error of its code, answered by the app's handlers as Flask's abort was."""
    return await _http_error(request, from_werkzeug_error(exc))


def from_werkzeug_error(exc: Any) -> StarletteHTTPException:
    """Werkzeug's HTTP error as Starlette's of its code and description, with the response it carries (Flask-Limiter's
    429 with what the app's ``on_breach`` gave): ``error_page`` answers with it when no handler of the app took it."""
    error = StarletteHTTPException(exc.code, getattr(exc, "description", None))
    error.response = getattr(exc, "response", None)  # type: ignore[attr-defined]
    return error


async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
    """The app's handler for the code, else for HTTP errors (``errorhandler(HTTPException)``), else Flask's page."""
    handlers = request.app.exception_handlers
    handler = handlers.get(error.status_code) or handlers.get(StarletteHTTPException) or _error_page
    answer = handler(request, error)
    return await answer if inspect.isawaitable(answer) else answer


_ROUTER_HANDLERS: list[tuple[Any, Callable]] = []


def app_errorhandler(router: Any, key: Any) -> Callable[[Callable], Callable]:
    """A blueprint's error handler, installed app-wide when the app builds its middleware."""

    def decorator(fn: Callable) -> Callable:
        _ROUTER_HANDLERS.append((key, fn))
        return fn

    return decorator


_SCOPED_HANDLERS: list[tuple[Any, Any, Callable]] = []


def errorhandler(router: Any, key: Any) -> Callable[[Callable], Callable]:
    """A blueprint's ``errorhandler``: it answers only for errors raised by that router's routes (an app's: all).

    End state: catch the error in the router's views (or a router dependency) and return the answer.
    """

    def decorator(fn: Callable) -> Callable:
        if isinstance(router, FastAPI):  # ``app.errorhandler`` on an app the code got as a parameter: app-wide
            router.add_exception_handler(key, fn)
        else:
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
