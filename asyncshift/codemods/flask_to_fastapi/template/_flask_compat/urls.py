"""Flask's ``url_for`` (in code and templates) and the routes it finds, blueprint endpoints and aliases included.

Views and templates build URLs by endpoint as before; end state: ``request.url_for(name, **path_params)``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request

try:
    from jinja2 import pass_context
except ImportError:  # Jinja2 < 3.0
    from jinja2 import contextfunction as pass_context
from starlette.convertors import PathConvertor, StringConvertor
from starlette.routing import Mount

from .template_request import _matching_route, starlette_request
from .versions import installed_version


def url_for(
    request: Request,
    endpoint: str,
    *,
    _external: bool | None = None,
    _anchor: str | None = None,
    _method: str | None = None,
    _scheme: str | None = None,
    **values: Any,
) -> str:
    """Flask's ``url_for``: a relative path, unknown values as the query string, ``static`` by ``filename``.

    In an app context without a request (a model's ``url``), Flask builds a full URL from ``SERVER_NAME``,
    ``APPLICATION_ROOT`` and ``PREFERRED_URL_SCHEME``.
    """
    app, request = _app_and_request(request)
    if endpoint.startswith("."):  # the request's blueprint's endpoint; with none, the app's (Flask drops the dot)
        route = (request.scope.get("route") or _matching_route(request)) if request is not None else None
        tags = getattr(route, "tags", None) or [""]  # a url_value_preprocessor runs before routing: matched here
        endpoint = f"{tags[0]}{endpoint}" if tags[0] else endpoint[1:]
    if getattr(app, "url_default_functions", None):  # the app's @app.url_defaults callbacks
        from .url_processors import inject_url_defaults

        inject_url_defaults(app, endpoint, values)
    if (endpoint == "static" or endpoint.endswith(".static")) and "filename" in values:  # a blueprint's too
        values["path"] = values.pop("filename")
    found = _find_route(app, endpoint, values)
    if found is None and endpoint in getattr(app, "url_aliases", {}):
        url, names = app.url_aliases[endpoint], set()
    elif found is None:
        raise ValueError(f"Could not build url for endpoint {endpoint!r}.")
    else:
        route, endpoint = found
        names = {"path"} if isinstance(route, Mount) else set(getattr(route, "param_convertors", {}))
    defaults = _DEFAULT_ROUTES.get(id(getattr(route, "original_route", route)), {}) if found is not None else {}
    path_params = {k: _quoted(route, k, v) for k, v in values.items() if k in names}
    query = [(k, v) for k, v in values.items() if k not in names and k not in defaults and v is not None]
    if found is not None:
        url = str(route.url_path_for(endpoint, **path_params))
    if query:
        pairs = [(k, item) for k, v in query for item in (v if isinstance(v, (list, tuple)) else [v])]
        url += "?" + urlencode(pairs, safe=_query_safe())
    if _anchor:
        url += "#" + _anchor
    if request is None:
        return _without_request(app, url, _external is not False, _scheme)
    if _external:
        base = str(request.base_url).rstrip("/")
        if _scheme:
            base = _scheme + base[base.index(":") :]
        url = base + url
    else:  # Flask's relative URL is under the script root (the ASGI root_path), as base_url is
        url = (request.scope.get("root_path") or "").rstrip("/") + url
    return url


def request_url_for(endpoint: str, **values: Any) -> str:
    """Flask's ``url_for`` handed as a value (``get_url=url_for`` in a context processor, a callback): called as
    Flask's, with no request; it builds on the current request (on the app outside one)."""
    from .context import request

    return url_for(request, endpoint, **values)


def _app_and_request(request: Any) -> tuple[Any, Any]:
    """The app and the current request; the app context's app and None outside a request."""
    if isinstance(request, FastAPI):  # given the app itself (``shadow_urls``, an app context's adapter)
        return request, None
    try:
        return request.app, request
    except RuntimeError:  # the helper's request proxy, outside a request
        from .context import _current_app

        return _current_app(), None


def _without_request(app: Any, path: str, external: bool, scheme: str | None) -> str:
    """Flask's URL adapter with no request: bound to ``SERVER_NAME`` under ``APPLICATION_ROOT``."""
    config = getattr(app, "config", {})
    server = config.get("SERVER_NAME")
    if not server:
        raise RuntimeError(
            "Unable to build URLs outside an active request without 'SERVER_NAME' configured. Also configure"
            " 'APPLICATION_ROOT' and 'PREFERRED_URL_SCHEME' as needed."
        )
    url = (config.get("APPLICATION_ROOT") or "/").rstrip("/") + path
    if not external:
        return url
    return f"{scheme or config.get('PREFERRED_URL_SCHEME') or 'http'}://{server}{url}"


def _quoted(route: Any, name: str, value: Any) -> Any:
    """A string or path value quoted as Werkzeug's converters quote it as they build (``✓ one`` ->
    ``%E2%9C%93%20one``); Starlette's put it in the path as it is. Before Werkzeug 2.3 only ``/:`` stay unquoted."""
    if not isinstance(getattr(route, "param_convertors", {}).get(name), (StringConvertor, PathConvertor)):
        return value
    werkzeug = installed_version("werkzeug")
    return quote(str(value), safe="/:" if werkzeug is not None and werkzeug < (2, 3) else "!$&'()*+,/:;=@")


def _query_safe() -> str:
    """Werkzeug 2.3+ leaves ``/:?@!$'()*,;`` unquoted in a built query string; before, it quoted them."""
    werkzeug = installed_version("werkzeug")
    return "!$'()*,/:;?@" if werkzeug is None or werkzeug >= (2, 3) else ""


def add_url_alias(app: FastAPI, rule: str, endpoint: str) -> None:
    """``add_url_rule(rule, endpoint=...)`` without a view: ``url_for(endpoint)`` builds ``rule``."""
    app.url_aliases = {**getattr(app, "url_aliases", {}), endpoint: rule}


def _all_routes(routes: Any):
    """Every route, with included routers opened up (FastAPI 0.16x includes routers lazily)."""
    for route in routes:
        if hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()
        else:
            yield route


_DEFAULT_ROUTES: dict[int, dict] = {}  # id(route) -> its rule's defaults= (redirects.redirect_defaults)


def _find_route(app: Any, endpoint: str, values: dict | None = None):
    """The route named ``endpoint`` that can build from ``values``, tried in Werkzeug's order.

    Rules with more arguments first, then more defaults; a rule's defaults must equal the values
    given for them. ``blog.index`` also finds a route ``index`` tagged ``blog``.
    """
    values = values or {}
    tag, _, short = endpoint.rpartition(".")
    named, tagged = [], []
    for route in _all_routes(app.routes):
        name = getattr(route, "name", None)
        if name == endpoint:
            named.append((route, endpoint))
        elif tag and name == short and tag in (getattr(route, "tags", None) or ()):
            tagged.append((route, short))
    candidates = named or tagged
    if len(candidates) < 2:
        return candidates[0] if candidates else None

    def order(found: tuple) -> tuple[int, int]:
        route = found[0]
        defaults = _DEFAULT_ROUTES.get(id(getattr(route, "original_route", route)), {})
        return -len(set(getattr(route, "param_convertors", {})) | set(defaults)), -len(defaults)

    for route, name in sorted(candidates, key=order):
        defaults = _DEFAULT_ROUTES.get(id(getattr(route, "original_route", route)), {})
        params = set(getattr(route, "param_convertors", {}))
        if all(p in values for p in params) and all(values.get(k, v) == v for k, v in defaults.items()):
            return route, name
    return candidates[0]


@pass_context
def _template_url_for(context: dict, endpoint: str, **values: Any) -> str:
    return url_for(starlette_request(context["request"]), endpoint, **values)
