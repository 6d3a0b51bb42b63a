"""A WSGI middleware the app set over its ``wsgi_app`` (``app.wsgi_app = Prefixed(app)`` moving APPLICATION_ROOT from
PATH_INFO to SCRIPT_NAME, ``app.wsgi_app = ProxyFix(app.wsgi_app)``), run before each request.

The converted app is served over ASGI: nothing called its ``wsgi_app``, so what such a middleware did to the request
was lost (a prefixed path answered 404, X-Forwarded-For was not the remote address). The middleware now sees each
request's environ first; the environ it hands on to the app's own ``wsgi_app`` (the face's: ``inner``) is the request
the app serves (path and root path, scheme, client, server, headers), what it answers itself is the answer, and what
it sets through the ``start_response`` it hands on is applied to the app's. What it does to the body is not followed.
"""

from __future__ import annotations

import contextvars
import io
import sys
from typing import Any

from .werkzeug_request import ROOTED_PATHS, request_environ

_PASS: contextvars.ContextVar[Any] = contextvars.ContextVar("_flask_compat_wsgi_pass", default=None)


def inner(environ: dict, start_response: Any) -> Any:
    """The app's own ``wsgi_app``, reached through the middleware: the request goes on to the ASGI app."""
    seen = _PASS.get()
    if seen is None:
        raise RuntimeError("this app is FastAPI, served over ASGI: its wsgi_app is not called")
    seen["environ"], seen["start_response"] = environ, start_response
    return []


async def through(middleware: Any, scope: dict, receive: Any, send: Any) -> Any:
    """``(scope, send)`` as the middleware handed the request on, or None when it answered itself (sent here)."""

    class _Scope:
        def __init__(self, scope: dict):
            self.scope = scope

    environ = dict(request_environ(_Scope({k: v for k, v in scope.items() if k != "_flask_compat_environ"})))
    before = dict(environ)
    environ.update({"wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0)})
    environ.update({"wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False})
    started: list = []

    def start_response(status: str, headers: list, exc_info: Any = None) -> Any:
        started[:] = [status, list(headers)]
        return lambda data: None

    seen: dict = {}
    token = _PASS.set(seen)
    try:
        body = middleware(environ, start_response)
    finally:
        _PASS.reset(token)
    if "environ" not in seen:  # the middleware answered
        try:
            content = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        status, headers = started or ["500 INTERNAL SERVER ERROR", []]
        raw = [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in headers]
        await send({"type": "http.response.start", "status": int(status.split()[0]), "headers": raw})
        await send({"type": "http.response.body", "body": content})
        return None
    scope = _served(scope, before, seen["environ"])
    if seen["start_response"] is not start_response:
        send = _started_through(seen["start_response"], started, send)
    return scope, send


def _served(scope: dict, before: dict, environ: dict) -> dict:
    """The ASGI scope of the environ the middleware handed on, changed where it changed (Werkzeug's reading of
    SCRIPT_NAME and PATH_INFO)."""
    changed = {k for k in set(environ) | set(before) if environ.get(k) != before.get(k)}
    scope = {k: v for k, v in scope.items() if k != "_flask_compat_environ"}
    if changed & {"SCRIPT_NAME", "PATH_INFO"}:
        root = environ.get("SCRIPT_NAME", "").rstrip("/")
        path = "/" + environ.get("PATH_INFO", "").lstrip("/")
        scope.pop("raw_path", None)
        scope["root_path"], scope["path"] = root, _route_path(root, path)
    if "wsgi.url_scheme" in changed:
        scope["scheme"] = environ["wsgi.url_scheme"]
    if "REQUEST_METHOD" in changed:
        scope["method"] = environ["REQUEST_METHOD"]
    if "QUERY_STRING" in changed:
        scope["query_string"] = environ.get("QUERY_STRING", "").encode("latin-1")
    if "REMOTE_ADDR" in changed:
        scope["client"] = (environ.get("REMOTE_ADDR"), (scope.get("client") or (None, 0))[1])
    if changed & {"SERVER_NAME", "SERVER_PORT"}:
        scope["server"] = (environ.get("SERVER_NAME"), int(environ.get("SERVER_PORT") or 0))
    names = [k for k in changed if k.startswith("HTTP_") or k in ("CONTENT_TYPE", "CONTENT_LENGTH")]
    if names:
        kept = [k for k in environ if k.startswith("HTTP_") or k in ("CONTENT_TYPE", "CONTENT_LENGTH")]
        headers = [(k[5:] if k.startswith("HTTP_") else k, environ[k]) for k in kept]
        scope["headers"] = [
            (k.lower().replace("_", "-").encode("latin-1"), str(v).encode("latin-1")) for k, v in headers
        ]
    return scope


def _route_path(root: str, path: str) -> str:
    """Starlette 0.33+ routes ``path`` with ``root_path`` cut off its start; older releases routed ``path`` itself."""
    return root + path if ROOTED_PATHS else path


def _started_through(handed: Any, started: list, send: Any) -> Any:
    """The app's status and headers through the ``start_response`` the middleware handed on (what it adds or drops)."""

    async def sending(message: dict) -> None:
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", [])]
            started[:] = []
            handed(f"{status} {_reason(status)}", headers)
            if started:
                status, headers = int(started[0].split()[0]), started[1]
            raw = [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in headers]
            message = {**message, "status": status, "headers": raw}
        await send(message)

    return sending


def _reason(status: int) -> str:
    import http

    try:
        return http.HTTPStatus(status).phrase.upper()
    except ValueError:
        return "UNKNOWN"
