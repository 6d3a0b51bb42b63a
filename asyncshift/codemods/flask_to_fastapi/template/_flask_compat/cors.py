"""Flask-CORS's ``CORS(app)``, ``CORS(blueprint)`` and ``@cross_origin()`` on Starlette's ``CORSMiddleware``.

The same options (origins, resources, methods, headers, credentials) answer the same CORS headers;
end state: ``app.add_middleware(CORSMiddleware, ...)`` with the origins you mean.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Match

from .flask_hosted import TWIN
from .urls import _all_routes

_METHODS = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"]  # Flask-CORS's default
_APP_RULES: dict[int, list[tuple[Any, dict]]] = {}  # id(app) -> (path pattern or string, options)
_ROUTER_RULES: list[tuple[Any, dict]] = []  # (router, options) for CORS(blueprint)
_DECORATED: list[Callable] = []  # the views ``@cross_origin`` marked


class CORS:
    """Flask-CORS's extension object: ``CORS(app, **options)`` or ``CORS().init_app(app)``."""

    def __init__(self, app: Any = None, **options: Any):
        self.options = options
        if app is not None:
            self.init_app(app, **options)

    def init_app(self, app: Any, **options: Any) -> None:
        options = {**self.options, **options}
        resources = options.pop("resources", r"/*")
        if not hasattr(app, "hooks"):  # a router (a blueprint): its own routes only
            _ROUTER_RULES.append((app, options))
            return
        if isinstance(resources, dict):
            rules = [(_re_fix(pattern), {**options, **own}) for pattern, own in resources.items()]
            rules.sort(key=lambda rule: len(getattr(rule[0], "pattern", rule[0])), reverse=True)  # longest first
        else:
            patterns = [resources] if isinstance(resources, (str, re.Pattern)) else list(resources)
            rules = [(_re_fix(pattern), options) for pattern in patterns]
        _APP_RULES.setdefault(id(app), []).extend(rules)


def _re_fix(pattern: Any) -> Any:
    """Flask-CORS's ``re_fix``: a bare ``*`` (not a valid regex) means every path."""
    return r".*" if pattern == r"*" else pattern


def _try_match(path: str, pattern: Any) -> bool:
    """Flask-CORS's ``try_match``: a compiled regex, a string that looks like one (case-insensitive), else equality."""
    if isinstance(pattern, re.Pattern):
        return re.match(pattern, path) is not None
    if _probably_regex(pattern):
        return re.match(pattern, path, flags=re.IGNORECASE) is not None
    return path.lower() == pattern.lower()


def _probably_regex(pattern: str) -> bool:
    """Flask-CORS's ``probably_regex``."""
    return any(c in pattern for c in "*\\]?$^[()")


def cross_origin(**options: Any) -> Callable[[Callable], Callable]:
    """Flask-CORS's ``@cross_origin()`` on one view."""

    def decorator(fn: Callable) -> Callable:
        fn._flask_cors = options
        _DECORATED.append(fn)
        return fn

    return decorator


def _starlette_options(options: dict) -> dict:
    origins = options.get("origins", "*")
    origins = [origins] if isinstance(origins, str) else list(origins)
    settings: dict[str, Any] = {
        "allow_methods": [m.upper() for m in options.get("methods") or _METHODS],
        "allow_credentials": bool(options.get("supports_credentials")),
    }
    headers = options.get("allow_headers", "*")
    settings["allow_headers"] = [headers] if isinstance(headers, str) else list(headers)
    expose = options.get("expose_headers")
    if expose:
        settings["expose_headers"] = [expose] if isinstance(expose, str) else list(expose)
    if options.get("max_age") is not None:
        settings["max_age"] = int(options["max_age"])
    if origins == ["*"] and options.get("send_wildcard"):
        settings["allow_origins"] = ["*"]
    elif origins == ["*"]:
        settings["allow_origin_regex"] = ".*"  # Flask-CORS echoes the request's Origin
    elif any(set(o) & set("*^$[]()|\\?+") for o in origins):
        settings["allow_origin_regex"] = "|".join(f"(?:{o})" for o in origins)
    else:
        settings["allow_origins"] = origins
    return settings


class _FlaskCORS:
    """Sends each request through the CORS settings that apply to its path, route or router."""

    def __init__(self, app: Any, flask_app: Any):
        self.app, self.flask_app, self.middlewares = app, flask_app, {}

    def _options(self, scope) -> dict | None:
        for pattern, options in _APP_RULES.get(id(self.flask_app), ()):
            if _try_match(scope["path"], pattern):
                return options
        probe = {**scope, "method": scope.get("method") if scope.get("method") != "OPTIONS" else "GET"}
        for route in _all_routes(self.flask_app.routes):
            endpoint = getattr(route, "endpoint", None)
            if endpoint is None or route.matches(probe)[0] == Match.NONE:
                continue
            if getattr(endpoint, "_flask_cors", None) is not None:
                return endpoint._flask_cors
            for router, options in _ROUTER_RULES:
                if any(getattr(r, "endpoint", None) is endpoint for r in router.routes):
                    return options
        return self._hosted_options(probe)

    def _asked(self, scope) -> bool:
        """A request with an Origin, or any CORS at all (``always_send``): an app without it pays nothing."""
        if _APP_RULES.get(id(self.flask_app)) or _ROUTER_RULES or _DECORATED:
            return True
        return any(name == b"origin" for name, _ in scope["headers"])

    def _hosted_options(self, scope) -> dict | None:
        """``CORS(bp)`` on a blueprint whose Resources a REST extension kept on Flask (``flask_hosted``): the host's
        rule that matches the path is one of the blueprint's (Flask-CORS's hook on the blueprint answered them)."""
        host = self.flask_app.__dict__.get("flask_host")
        twins = [
            (router.__dict__[TWIN][1].name, options) for router, options in _ROUTER_RULES if TWIN in router.__dict__
        ]
        if host is None or not twins:
            return None
        try:
            endpoint, _ = host.url_map.bind("localhost").match(scope["path"], method=scope.get("method") or "GET")
        except Exception:  # no rule (404, 405) or a redirect: no blueprint answered it
            return None
        return next((options for name, options in twins if endpoint.startswith(f"{name}.")), None)

    async def __call__(self, scope, receive, send):
        options = self._options(scope) if scope["type"] == "http" and self._asked(scope) else None
        if options is None:
            await self.app(scope, receive, send)
            return
        if not any(name == b"origin" for name, _ in scope["headers"]):
            await self.app(scope, receive, _always_sent(send, options))
            return
        key = id(options)
        if key not in self.middlewares:
            self.middlewares[key] = CORSMiddleware(self.app, **_starlette_options(options))
        await self.middlewares[key](scope, receive, send)


def _always_sent(send: Callable, options: dict) -> Callable:
    """Flask-CORS's ``always_send`` (on by default): a request without an Origin (a cache, a server, a test) is
    answered with the origins it may be read from: ``*`` for a wildcard (none with credentials), else the origins
    that are not patterns, with ``Vary: Origin``; a response that set its own is left alone."""
    origins = options.get("origins", "*")
    origins = [origins] if isinstance(origins, str) else list(origins)
    if not options.get("always_send", True):
        return send
    if "*" in origins or r".*" in origins:
        sent = [] if options.get("supports_credentials") else ["*"]
    else:
        sent = sorted(o for o in origins if not _probably_regex(o))
    if not sent:
        return send
    extra = [(b"access-control-allow-origin", origin.encode("latin-1")) for origin in sent]
    expose = options.get("expose_headers")
    if expose:
        extra.append(
            (b"access-control-expose-headers", (expose if isinstance(expose, str) else ", ".join(expose)).encode())
        )
    if sent != ["*"] and options.get("vary_header", True):
        extra.append((b"vary", b"Origin"))

    async def sending(message: dict) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            if not any(name.lower() == b"access-control-allow-origin" for name, _ in headers):
                message = {**message, "headers": headers + extra}
        await send(message)

    return sending
