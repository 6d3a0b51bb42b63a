"""Flask's redirects before any view: a slashless URL to its slashed rule, a URL equal to a rule's ``defaults=``.

Werkzeug answered these with 308s and Starlette does not; end state: one URL per view, or a redirect in the view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from markupsafe import escape
from starlette.routing import Match, Mount

from .location_autocorrect import autocorrect_off
from .urls import _DEFAULT_ROUTES, _all_routes
from .versions import installed_version


def redirect(location: str, code: int = 302, Response: Any = None) -> RedirectResponse:  # noqa: N803 - Flask's
    """Flask's ``redirect``: the status and ``Location``, and Werkzeug's little HTML page as the body."""
    response = RedirectResponse(location, status_code=code)
    shown = escape(location)
    body = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
        f'<p>You should be redirected automatically to the target URL: <a href="{shown}">{shown}</a>. '
        "If not, click the link.\n"
    ).encode()
    response.body = body
    response.headers["content-length"] = str(len(body))
    response.headers["content-type"] = "text/html; charset=utf-8"
    return response


def _absolute(scope, location: str) -> str:
    """Werkzeug's routing redirects name the whole URL (``http://host/path/``), as Flask sends them."""
    from starlette.requests import Request

    base = str(Request(scope).base_url).rstrip("/")
    return base + location


def absolute_locations(scope, send: Callable) -> Callable:
    """Before Werkzeug 2.1 every response's relative ``Location`` was made absolute against the request's URL
    (``autocorrect_location_header``): ``/posts/1`` went out as ``http://localhost/posts/1``."""
    werkzeug = installed_version("werkzeug")
    if werkzeug is None or werkzeug >= (2, 1) or autocorrect_off():  # or the app turned it off
        return send

    async def send_absolute(message):
        if message["type"] == "http.response.start":
            headers = list(message.get("headers") or [])
            for index, (name, value) in enumerate(headers):
                location = value.decode("latin-1")
                if name.lower() == b"location" and "://" not in location.split("?")[0]:
                    from urllib.parse import urljoin

                    from starlette.requests import Request

                    current = str(Request(scope).url).split("?")[0]
                    headers[index] = (name, urljoin(current, location).encode("latin-1"))
            message = {**message, "headers": headers}
        await send(message)

    return send_absolute


class UrlMap:
    """``app.url_map`` as apps set it (``app.url_map.strict_slashes = False``: a URL with or without its trailing
    slash answers from the rule, with no redirect); ``converters`` is kept for code that registers one."""

    def __init__(self) -> None:
        self.strict_slashes = True
        self.converters: dict[str, Any] = {}


def _slash_redirect(app: FastAPI, not_found: Callable) -> Callable:
    """No route matched: Flask redirects (308) to the slashed URL when a rule ending in "/" takes it; with
    ``url_map.strict_slashes = False`` the rule answers the other form itself."""

    async def default(scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] == "http" and getattr(getattr(app, "url_map", None), "strict_slashes", True) is False:
            other = {**scope, "path": path[:-1] if path.endswith("/") else path + "/"}
            for route in _all_routes(app.routes) if other["path"] else ():
                match, child = route.matches(other) if not isinstance(route, Mount) else (Match.NONE, {})
                if match == Match.FULL:
                    await route.handle({**other, **child}, receive, send)
                    return
        if scope["type"] == "http" and not path.endswith("/"):
            slashed = {
                **scope,
                "path": path + "/",
                "method": "GET" if scope.get("method") == "HEAD" else scope.get("method"),
            }
            for route in _all_routes(app.routes):
                route_path = getattr(route, "path", "")
                if (
                    route_path.endswith("/")
                    and not isinstance(route, Mount)
                    and route.matches(dict(slashed))[0] == Match.FULL
                ):
                    query = scope.get("query_string", b"").decode("latin-1")
                    location = path + "/" + (f"?{query}" if query else "")
                    await redirect(_absolute(scope, location), 308)(scope, receive, send)
                    return
        await not_found(scope, receive, send)

    default.unredirected = not_found  # what a hosted rule that matched the URL as asked hands it to (route_order)
    return default


def redirect_defaults(router: Any, **defaults: Any) -> Callable[[Callable], Callable]:
    """Flask's ``defaults=`` on a rule: a URL whose values equal them redirects (308) to that rule.

    Put it directly above the route decorator that had ``defaults=``. End state: drop the redirect
    (FastAPI answers both URLs) or redirect in the view.
    """

    def decorator(fn: Callable) -> Callable:
        for route in reversed(router.routes):
            if getattr(route, "endpoint", None) is fn:
                _DEFAULT_ROUTES[id(route)] = defaults
                break
        return fn

    return decorator


def _defaults_redirect(app: FastAPI, scope) -> str | None:
    matched = None
    for route in _all_routes(app.routes):
        match, child = route.matches(dict(scope))
        if match == Match.FULL:
            matched = (route, child)
            break
    if matched is None:
        return None
    route, child = matched
    original = getattr(route, "original_route", route)
    values = child.get("path_params") or {}
    if (
        not values or id(original) in _DEFAULT_ROUTES
    ):  # compare the matched route: the defaults rule never redirects to itself
        return None
    for other in _all_routes(app.routes):
        defaults = _DEFAULT_ROUTES.get(id(getattr(other, "original_route", other)))
        if (
            defaults is None
            or getattr(other, "endpoint", None) is not getattr(route, "endpoint", None)
            or scope["method"] not in (getattr(other, "methods", None) or ())
        ):
            continue
        if defaults == values and not getattr(other, "param_convertors", None):
            query = scope.get("query_string", b"").decode("latin-1")
            return other.path + (f"?{query}" if query else "")
    return None
