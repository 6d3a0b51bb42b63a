"""Flask's ``request.authorization``, ``request.environ``, ``request.access_route`` and listed headers, read from
the Starlette request.

``request.authorization`` is Werkzeug's ``Authorization`` parsed from the header by Werkzeug's own parser, as
Flask's request did (``username``, ``password``, a digest's fields). ``request.environ`` is the WSGI environ
the request would have had: method, paths, query string, server, scheme, client and every header as
``HTTP_*``, built once per request (what is written to it stays for the rest of the request only). Listed
headers (``request.headers.items()``) bear the names Werkzeug gave them from that environ (``User-Agent``);
Starlette lists them as sent (``user-agent`` from most clients).
``request.access_route`` is Werkzeug's: the addresses of ``X-Forwarded-For`` (every such header, joined as a
WSGI server joins them), else the client's address alone. What Werkzeug parses from a header (``if_none_match``'s
ETags, ``if_modified_since``'s datetime, ``range``, ``cache_control``...) is read on ``werkzeug_request(request)``:
Werkzeug's own request over that environ, its body left unread.
``request.path`` is Werkzeug's: the path under the script root (the ASGI ``root_path``, which Starlette's
``url.path`` holds). End state: read the header, or ``request.scope``, where it is needed.
"""

from __future__ import annotations

import inspect
from typing import Any

import starlette.requests
import starlette.routing


def request_authorization(request: Any) -> Any:
    from werkzeug import datastructures

    value = request.headers.get("authorization")
    from_header = getattr(datastructures.Authorization, "from_header", None)  # Werkzeug 2.3+
    if from_header is not None:
        return from_header(value)
    from werkzeug.http import parse_authorization_header

    return parse_authorization_header(value)


ROOTED_PATHS = hasattr(starlette.routing, "get_route_path")
"""Starlette 0.33+ holds the root path in the scope's ``path`` (and ``url.path``); older releases left it out."""


def request_path(request: Any) -> str:
    """Werkzeug's ``request.path`` (PATH_INFO): the path under the root path the app is served under; a test's
    stand-in patched over the module's request answers its own (``_own_path``)."""
    own = _own_path(request)
    if own is not None:
        return own
    path, root = request.scope.get("path") or "/", (request.scope.get("root_path") or "").rstrip("/")
    if root and ROOTED_PATHS and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
        path = path[len(root) :]
    return "/" + path.lstrip("/")


def _own_path(request: Any) -> str | None:
    """The ``path`` a test's stand-in holds itself (``monkeypatch.setattr("pkg.headers.request",
    type("MockRequest", (), {"path": "/admin/x"})())``, a Mock with ``.path`` set): an object that is not a
    Starlette request, whose ``path`` is a plain str of its own or its class's, not computed (no descriptor)."""
    if isinstance(request, starlette.requests.Request):
        return None
    try:
        own = inspect.getattr_static(request, "path")
    except AttributeError:
        return None
    return own if isinstance(own, str) else None


def request_access_route(request: Any) -> list[str]:
    forwarded = ", ".join(request.headers.getlist("x-forwarded-for"))
    if forwarded:
        try:
            from werkzeug.http import parse_list_header
        except ImportError:  # no Werkzeug left: its parser splits on commas outside quotes, as this does
            return [part.strip() for part in forwarded.split(",") if part.strip()]
        return parse_list_header(forwarded)
    client = request.client
    return [client.host] if client else []


def request_headers(request: Any) -> Any:
    pairs = [(name.replace("_", "-").title(), value) for name, value in request.headers.items()]
    try:
        from werkzeug.datastructures import Headers
    except ImportError:  # no Werkzeug left: a plain dict of the same names
        return dict(pairs)
    return Headers(pairs)


def request_environ(request: Any) -> dict:
    scope = request.scope
    if "_flask_compat_environ" in scope:
        return scope["_flask_compat_environ"]
    server, client = scope.get("server") or ("localhost", None), scope.get("client")
    environ = {
        "REQUEST_METHOD": scope.get("method", "GET"),
        "SCRIPT_NAME": scope.get("root_path", ""),
        "PATH_INFO": request_path(request),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1] or (443 if scope.get("scheme") == "https" else 80)),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": client[0] if client else "",
        "wsgi.url_scheme": scope.get("scheme", "http"),
    }
    for raw_name, raw_value in scope.get("headers", []):
        name, value = raw_name.decode("latin-1").upper().replace("-", "_"), raw_value.decode("latin-1")
        key = name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    scope["_flask_compat_environ"] = environ
    return environ


def werkzeug_request(request: Any) -> Any:
    from werkzeug.wrappers import Request as WerkzeugRequest

    return WerkzeugRequest(request_environ(request), populate_request=False, shallow=True)
