"""Flask's test helpers on the converted app: ``app.test_request_context(...)`` and ``app.test_cli_runner()``.

The app's old tests push a request context to call helpers that read ``request``/``session``/``g``/``url_for``,
and invoke ``app.cli`` commands; end state: FastAPI's TestClient and dependency overrides.
"""

from __future__ import annotations

import inspect
import json as _json
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

from fastapi import FastAPI, Request
from starlette.datastructures import FormData
from starlette.requests import HTTPConnection
from starlette.routing import Match

from .context import CALLER_CONTEXT, _app_ctx, _AppContext, _current, _reset, run_teardown, share_caller_g
from .face import flask_app_context
from .flask_urls import flask_request_context, twin_app_context
from .hooks import teardowns
from .session_interfaces import open_with, own_interface
from .sessions import open_session


def _pairs(values: Any) -> list[tuple[str, str]]:
    items = values.items() if hasattr(values, "items") else values
    return [(k, v) for k, value in items for v in (value if isinstance(value, (list, tuple)) else [value])]


def _config_base_url(app: Any, scheme: str, host: str) -> str:
    """The base URL Flask's ``EnvironBuilder`` gives a request of ``app``: ``PREFERRED_URL_SCHEME://SERVER_NAME``
    (``localhost`` unset) under ``APPLICATION_ROOT``, a full URL's own scheme and host first. A fixed
    ``http://localhost`` where the app set ``SERVER_NAME = "localhost:5000"``: Flask's adapter bound to the request
    matched no server name, and the test's ``flask.url_for`` answered a full URL where Flask's answered the path."""
    config = getattr(app, "config", None) or {}
    try:
        server, root = config.get("SERVER_NAME"), config.get("APPLICATION_ROOT")
        scheme = scheme or config.get("PREFERRED_URL_SCHEME")
    except Exception:  # a config that is no mapping
        server = root = None
    root = str(root or "/").strip("/")
    return f"{scheme or 'http'}://{host or server or 'localhost'}/{root + '/' if root else ''}"


def _scope(
    app: FastAPI,
    path: str,
    base_url: str | None,
    query_string: Any,
    method: str,
    headers: Any,
    content_type: str | None,
) -> dict:
    split = urlsplit(path)
    if base_url is None:  # Flask's EnvironBuilder: "http://example.com/x" is the base URL's too, else the config's
        base_url = _config_base_url(app, split.scheme, split.netloc)
    base = urlsplit(base_url)
    if split.query and query_string is not None:
        raise ValueError("Query string is defined in the path and as an argument")
    query = split.query if query_string is None else query_string
    if not isinstance(query, (str, bytes)):
        query = urlencode(_pairs(query))
    query = query.encode("latin-1") if isinstance(query, str) else query
    raw_headers = [(str(k).lower(), str(v)) for k, v in _pairs(headers or {})]
    names = {k for k, _ in raw_headers}
    if "host" not in names:
        raw_headers.insert(0, ("host", base.netloc or "localhost"))
    if content_type and "content-type" not in names:
        raw_headers.append(("content-type", content_type))
    secure = base.scheme == "https"
    root_path = base.path.rstrip("/")
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method.upper(),
        "scheme": base.scheme or "http",
        "root_path": root_path,
        "path": root_path + unquote(split.path or "/"),
        "raw_path": (root_path + quote(unquote(split.path or "/"))).encode("latin-1"),
        "query_string": query,
        "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in raw_headers],
        "client": ("127.0.0.1", 0),  # Werkzeug's REMOTE_ADDR in tests
        "server": (base.hostname or "localhost", base.port or (443 if secure else 80)),
        "app": app,
        "router": app.router,
        "state": {},
    }


class _RequestContext:
    """Flask's ``RequestContext`` for tests: ``with`` it, or ``push()`` and ``pop()`` it."""

    def __init__(self, app: FastAPI, scope: dict, body: bytes):
        self.app, self.body = app, body
        for route in app.router.routes:  # the view's path parameters and endpoint, as Flask's url_adapter matched
            if hasattr(route, "endpoint") and route.matches(scope)[0] == Match.FULL:
                scope.update(route.matches(scope)[1])
                break
        interface = own_interface(app)  # the app's own session interface (a server-side store), else Flask's cookie
        if interface is not None:
            scope["session"] = open_with(interface, app, scope)
        else:
            scope["session"] = open_session(app.config, HTTPConnection(scope).cookies, _secret_key(app))
        self.request = Request(scope, self._receive)
        self.request._body = body  # helpers that read the body synchronously find it
        self._pushed: list[tuple[Any, Any]] = []
        self._sent = False

    async def _receive(self) -> dict:
        if self._sent:
            return {"type": "http.disconnect"}
        self._sent = True
        return {"type": "http.request", "body": self.body, "more_body": False}

    @property
    def session(self) -> Any:
        return self.request.scope["session"]

    def push(self) -> None:
        outer = _app_ctx.get(None)  # the test's app_context() of this app: Flask pushes no other, one db session
        if outer is not None and outer[0] is self.app:
            self.request.scope.setdefault(CALLER_CONTEXT, outer)
            share_caller_g(self.request.scope)
            self.request.__dict__.pop("_state", None)  # ``request.state`` read before: it reads the shared dict now
        state = self.request.scope.setdefault("state", {})
        flask_context = flask_app_context(self.app, state)  # extensions reading flask.current_app, and flask.g
        if flask_context is None:  # none: the URL twin's below, whose flask.g (the test's) is the request's g too
            flask_context = twin_app_context(self.app, state)
        if flask_context is not None:
            flask_context.push()
        flask_request = flask_request_context(self.app, self.request.scope, self.body)  # flask.url_for, flask.request
        if flask_request is not None:
            flask_request.push()
        self._pushed.append((_current.set(self.request), flask_context, flask_request))

    def pop(self, exc: BaseException | None = None) -> None:
        if not self._pushed:
            raise RuntimeError("Popped a request context that was not pushed.")
        token, flask_context, flask_request = self._pushed.pop()
        try:
            for hook in teardowns(self.app.hooks["teardown"], self.request.scope):  # Flask runs them on pop
                wants_request = "request" in inspect.signature(hook).parameters
                run_teardown(hook(exc, request=self.request) if wants_request else hook(exc))
        finally:
            if flask_request is not None:
                flask_request.pop()
            if flask_context is not None:
                flask_context.pop()
            _reset(_current, token)

    def __enter__(self) -> _RequestContext:
        self.push()
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self.pop(exc)


def _secret_key(app: FastAPI) -> Any:
    return getattr(app, "secret_key", None) or app.config.get("SECRET_KEY")


def test_request_context(
    app: FastAPI,
    path: str = "/",
    base_url: str | None = None,
    query_string: Any = None,
    method: str = "GET",
    headers: Any = None,
    data: Any = None,
    json: Any = None,
    content_type: str | None = None,
) -> _RequestContext:
    """Flask's ``app.test_request_context(path, method=, headers=, data=, json=, query_string=)``."""
    if data is not None and json is not None:
        raise TypeError("can't provide both json and data")
    body, form = b"", None
    if json is not None:
        body, content_type = _json.dumps(json).encode(), content_type or "application/json"
    elif isinstance(data, dict) or (data is not None and not isinstance(data, (str, bytes))):
        pairs = _pairs(data)
        if any(not isinstance(v, (str, bytes, int, float)) for _, v in pairs):
            raise TypeError("test_request_context: file uploads are not supported here; post them with the test client")
        form = FormData([(k, v.decode() if isinstance(v, bytes) else str(v)) for k, v in pairs])
        body = urlencode(form.multi_items()).encode()
        content_type = content_type or "application/x-www-form-urlencoded"
    elif data is not None:
        body = data.encode() if isinstance(data, str) else data
    scope = _scope(app, path, base_url, query_string, method, headers, content_type)
    if body:
        scope["headers"].append((b"content-length", str(len(body)).encode()))
    context = _RequestContext(app, scope, body)
    if form is not None:  # read by sync helpers (request_form) and by ``await request.form()``
        context.request._form = scope["_flask_compat_form"] = form
    return context


test_request_context.__test__ = False  # not a pytest test, though its name says so


def test_cli_runner(app: FastAPI, **kwargs: Any) -> Any:
    """Flask's ``app.test_cli_runner()``: click's CliRunner invoking ``app.cli`` inside an app context."""
    cli = getattr(app, "cli", None)
    if cli is None:
        raise RuntimeError(
            "app.test_cli_runner() needs app.cli, a click group: install click (pip install click) "
            "so init_app gives the app one"
        )
    from click.testing import CliRunner

    class FlaskCliRunner(CliRunner):
        def invoke(self, cli: Any = None, args: Any = None, **options: Any) -> Any:
            with _AppContext(app):  # Flask's commands run with the app context pushed
                return super().invoke(app.cli if cli is None else cli, args, **options)

    return FlaskCliRunner(**kwargs)


test_cli_runner.__test__ = False
