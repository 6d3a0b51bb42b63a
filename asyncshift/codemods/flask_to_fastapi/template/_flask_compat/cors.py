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

from .urls import _all_routes

_METHODS = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"]  # Flask-CORS's default
_APP_RULES: dict[int, list[tuple[Any, dict]]] = {}  # id(app) -> (path pattern or string, options)
_ROUTER_RULES: list[tuple[Any, dict]] = []  # (router, options) for CORS(blueprint)


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
    if any(c in pattern for c in "*\\]?$^[()"):
        return re.match(pattern, path, flags=re.IGNORECASE) is not None
    return path.lower() == pattern.lower()


def cross_origin(**options: Any) -> Callable[[Callable], Callable]:
    """Flask-CORS's ``@cross_origin()`` on one view."""

    def decorator(fn: Callable) -> Callable:
        fn._flask_cors = options
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
        return None

    async def __call__(self, scope, receive, send):
        cross = scope["type"] == "http" and any(name == b"origin" for name, _ in scope["headers"])
        options = self._options(scope) if cross else None  # only requests that carry an Origin
        if options is None:
            await self.app(scope, receive, send)
            return
        key = id(options)
        if key not in self.middlewares:
            self.middlewares[key] = CORSMiddleware(self.app, **_starlette_options(options))
        await self.middlewares[key](scope, receive, send)
