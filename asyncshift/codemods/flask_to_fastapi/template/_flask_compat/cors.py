"""Flask-CORS's ``CORS(app)``, ``CORS(blueprint)`` and ``@cross_origin()`` on the converted app.

Flask-CORS answers nothing itself: Flask answers the request (a preflight ``OPTIONS`` through Flask's automatic
OPTIONS: 200, an empty text/html body, ``Allow``), and its after_request hook (or the view's decorator) adds the CORS
headers that the options, the app's ``CORS_*`` config and the request's Origin give. The same here, on every answer:
Starlette's ``CORSMiddleware`` answered preflights itself (``OK``, or 400 for a header not allowed, on any path).
End state: ``app.add_middleware(CORSMiddleware, ...)`` with the origins you mean.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.routing import Match

from .flask_hosted import TWIN
from .urls import _all_routes
from .werkzeug_request import request_path

_METHODS = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"]  # Flask-CORS's default
_DEFAULTS: dict[str, Any] = {  # Flask-CORS's DEFAULT_OPTIONS
    "origins": "*",
    "methods": _METHODS,
    "allow_headers": "*",
    "expose_headers": None,
    "supports_credentials": False,
    "max_age": None,
    "send_wildcard": False,
    "automatic_options": True,
    "vary_header": True,
    "resources": r"/*",
    "intercept_exceptions": True,
    "always_send": True,
    "allow_private_network": False,
}
_APP_RULES: dict[int, list[list[tuple[Any, dict]]]] = {}  # id(app) -> each CORS(app)'s resources, in order
_ROUTER_RULES: list[tuple[Any, list[tuple[Any, dict]]]] = []  # (router, its resources) for CORS(blueprint)
_DECORATED: list[Callable] = []  # the views ``@cross_origin`` marked
ACAO = b"access-control-allow-origin"


class CORS:
    """Flask-CORS's extension object: ``CORS(app, **options)`` or ``CORS().init_app(app)``."""

    def __init__(self, app: Any = None, **options: Any):
        self.options = options
        if app is not None:
            self.init_app(app, **options)

    def init_app(self, app: Any, **options: Any) -> None:
        is_app = hasattr(app, "hooks")
        config = getattr(app, "config", None) if is_app else None  # a blueprint has none: Flask-CORS's defaults
        merged = _cors_options(config, self.options, options)
        rules = [(pattern, _cors_options(config, merged, own)) for pattern, own in _resources(merged["resources"])]
        if is_app:
            _APP_RULES.setdefault(id(app), []).append(rules)
        else:  # a router (a blueprint): its own routes only
            _ROUTER_RULES.append((app, rules))


def cross_origin(**options: Any) -> Callable[[Callable], Callable]:
    """Flask-CORS's ``@cross_origin()`` on one view: its options over the app's config, read per request."""

    def decorator(fn: Callable) -> Callable:
        fn._flask_cors = options
        _DECORATED.append(fn)
        return fn

    return decorator


def answers_options(flask_app: Any, scope: dict) -> bool:
    """Flask-CORS's ``@cross_origin()`` (``automatic_options``, on by default) answers its view's OPTIONS with Flask's
    default OPTIONS response (``Allow``, an empty body), even where the rule lists OPTIONS: the view is not called."""
    if not _DECORATED:
        return False
    for route in _all_routes(flask_app.routes):
        if getattr(route, "endpoint", None) is not None and route.matches(scope)[0] == Match.FULL:
            options = getattr(route.endpoint, "_flask_cors", None)
            config = getattr(flask_app, "config", None)
            return options is not None and bool(_cors_options(config, options).get("automatic_options"))
    return False


def _cors_options(config: Any, *dicts: dict) -> dict:
    """Flask-CORS's ``get_cors_options``: its defaults, the app's ``CORS_*`` config, then each dict; serialized."""
    options = dict(_DEFAULTS)
    for key in _DEFAULTS:
        value = config.get("CORS_" + key.upper()) if config is not None else None
        if value is not None:
            options[key] = value
    for more in dicts:
        options.update(more)
    options["origins"] = [_re_fix(o) for o in _iterable(options.get("origins"))]
    options["allow_headers"] = [_re_fix(h) for h in _iterable(options.get("allow_headers"))]
    options["expose_headers"] = _flexible_str(options.get("expose_headers"))
    methods = _flexible_str(options.get("methods"))
    options["methods"] = methods.upper() if methods is not None else None
    if isinstance(options.get("max_age"), timedelta):
        options["max_age"] = str(int(options["max_age"].total_seconds()))
    return options


def _resources(resources: Any) -> list[tuple[Any, dict]]:
    """Flask-CORS's ``parse_resources``: (pattern, its own options); dict keys are tried longest first."""
    if isinstance(resources, dict):
        rules = [(_re_fix(pattern), own) for pattern, own in resources.items()]
        return sorted(rules, key=lambda rule: len(getattr(rule[0], "pattern", rule[0])), reverse=True)
    if isinstance(resources, (str, re.Pattern)):
        return [(_re_fix(resources), {})]
    return [(_re_fix(pattern), {}) for pattern in resources]


def _iterable(value: Any) -> list:
    return [value] if isinstance(value, str) or not isinstance(value, Iterable) else list(value)


def _flexible_str(value: Any) -> str | None:
    """Flask-CORS's ``flexible_str``: an iterable is its items sorted, joined with ', '."""
    if value is None:
        return None
    if not isinstance(value, str) and isinstance(value, Iterable):
        return ", ".join(str(item) for item in sorted(value))
    return str(value)


def _re_fix(pattern: Any) -> Any:
    """Flask-CORS's ``re_fix``: a bare ``*`` (not a valid regex) means every path."""
    return r".*" if pattern == r"*" else pattern


def _try_match(path: str, pattern: Any) -> bool:
    """Flask-CORS's ``try_match``: a compiled regex, a string that looks like one (case-insensitive), else equality."""
    if isinstance(pattern, re.Pattern):
        return re.match(pattern, path) is not None
    if _probably_regex(pattern):
        try:
            return re.match(pattern, path, flags=re.IGNORECASE) is not None
        except re.error:
            return False
    return str(path).lower() == str(pattern).lower()


def _probably_regex(pattern: Any) -> bool:
    """Flask-CORS's ``probably_regex``."""
    return not isinstance(pattern, str) or any(c in pattern for c in "*\\]?$^[()")


def _origins(options: dict, origin: str | None) -> list[str] | None:
    """Flask-CORS's ``get_cors_origins``: the request's Origin if allowed; without one (``always_send``), ``*`` for a
    wildcard (none with credentials), else the origins that are not patterns."""
    origins = options["origins"]
    wildcard = r".*" in origins
    if origin:
        if wildcard and options.get("send_wildcard"):
            return ["*"]
        return [origin] if any(_try_match(origin, o) for o in origins) else None
    if not options.get("always_send"):
        return None
    if wildcard:
        return None if options.get("supports_credentials") else ["*"]
    return sorted(o for o in origins if not _probably_regex(o))


def cors_headers(options: dict, headers: Headers, method: str) -> list[tuple[str, str]]:
    """Flask-CORS's ``get_cors_headers``: the headers its hook adds to this request's answer (none: not allowed)."""
    origins = _origins(options, headers.get("origin"))
    if not origins:
        return []
    added: list[tuple[str, Any]] = [("Access-Control-Allow-Origin", origin) for origin in origins]
    added.append(("Access-Control-Expose-Headers", options.get("expose_headers")))
    if options.get("supports_credentials"):
        added.append(("Access-Control-Allow-Credentials", "true"))
    if headers.get("access-control-request-private-network") == "true":
        allowed = "true" if options.get("allow_private_network") else "false"
        added.append(("Access-Control-Allow-Private-Network", allowed))
    asked = headers.get("access-control-request-method", "").upper()
    if method == "OPTIONS" and asked and asked in (options.get("methods") or ""):  # a preflight (a substring, as hers)
        requested = headers.get("access-control-request-headers")
        if requested:
            names = [h.strip() for h in requested.split(",")]
            matching = ", ".join(sorted(h for h in names if any(_try_match(h, a) for a in options["allow_headers"])))
            added.append(("Access-Control-Allow-Headers", matching))
        added.append(("Access-Control-Max-Age", options.get("max_age")))
        added.append(("Access-Control-Allow-Methods", options.get("methods")))
    several = len(options["origins"]) > 1 or len(origins) > 1 or any(map(_probably_regex, options["origins"]))
    if options.get("vary_header") and origins[0] != "*" and several:
        added.append(("Vary", "Origin"))
    return [(name, str(value)) for name, value in added if value]


class _FlaskCORS:
    """Adds Flask-CORS's headers to every answer of the app, as its after_request hooks did: the view's
    ``@cross_origin`` alone if it has one, else each ``CORS(blueprint)``, then each ``CORS(app)``, the last made first
    (Flask runs after_request hooks in reverse), the first that allows the request's origin; an answer that already
    has an Access-Control-Allow-Origin is left alone."""

    def __init__(self, app: Any, flask_app: Any):
        self.app, self.flask_app = app, flask_app

    def _options(self, scope) -> list[dict]:
        """The options of each hook that would run for this request, in the order Flask ran them."""
        path = unquote(request_path(Request(scope)))
        found: list[dict] = []
        probe = {**scope, "method": scope.get("method") if scope.get("method") != "OPTIONS" else "GET"}
        for route in _all_routes(self.flask_app.routes):
            endpoint = getattr(route, "endpoint", None)
            if endpoint is None or route.matches(probe)[0] == Match.NONE:
                continue
            if getattr(endpoint, "_flask_cors", None) is not None:  # the decorator's answer is the only one
                return [_cors_options(getattr(self.flask_app, "config", None), endpoint._flask_cors)]
            owned = [rules for router, rules in _ROUTER_RULES if _owns(router, endpoint)]
            if owned:  # its blueprint's hooks, the last made first
                found.extend(options for rules in reversed(owned) for options in _first_match(rules, path))
                break
        else:
            for rules in self._hosted_rules(probe):
                found.extend(_first_match(rules, path))
        for rules in reversed(_APP_RULES.get(id(self.flask_app), ())):
            found.extend(_first_match(rules, path))
        return found

    def _asked(self, scope) -> bool:
        """A request with an Origin, or any CORS at all (``always_send``): an app without it pays nothing."""
        if _APP_RULES.get(id(self.flask_app)) or _ROUTER_RULES or _DECORATED:
            return True
        return any(name == b"origin" for name, _ in scope["headers"])

    def _hosted_rules(self, scope) -> list[list[tuple[Any, dict]]]:
        """``CORS(bp)`` on a blueprint whose Resources a REST extension kept on Flask (``flask_hosted``): the host's
        rule that matches the path is one of the blueprint's (Flask-CORS's hook on the blueprint answered them)."""
        host = self.flask_app.__dict__.get("flask_host")
        twins = [(router.__dict__[TWIN][1].name, rules) for router, rules in _ROUTER_RULES if TWIN in router.__dict__]
        if host is None or not twins:
            return []
        try:
            endpoint, _ = host.url_map.bind("localhost").match(scope["path"], method=scope.get("method") or "GET")
        except Exception:  # no rule (404, 405) or a redirect: no blueprint answered it
            return []
        return [rules for name, rules in reversed(twins) if endpoint.startswith(f"{name}.")]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not self._asked(scope):
            await self.app(scope, receive, send)
            return
        hooks = self._options(scope)
        if not hooks:
            await self.app(scope, receive, send)
            return
        headers, method = Headers(scope=scope), scope["method"]

        async def sending(message: dict) -> None:
            if message["type"] == "http.response.start":
                sent = list(message.get("headers", []))
                if not any(name.lower() == ACAO for name, _ in sent):
                    for options in hooks:
                        added = cors_headers(options, headers, method)
                        if added:
                            sent += [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in added]
                            break
                    message = {**message, "headers": sent}
            await send(message)

        await self.app(scope, receive, sending)


def _owns(router: Any, endpoint: Callable) -> bool:
    return any(getattr(route, "endpoint", None) is endpoint for route in router.routes)


def _first_match(rules: list[tuple[Any, dict]], path: str) -> list[dict]:
    """Flask-CORS's hook: the options of the first of its resources matching the path (none: the hook adds nothing)."""
    return next(([options] for pattern, options in rules if _try_match(path, pattern)), [])
