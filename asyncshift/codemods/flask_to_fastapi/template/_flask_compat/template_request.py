"""``request`` as templates read it: Flask's attribute names on the Starlette request.

Templates are not rewritten, so ``request.endpoint``, ``request.full_path`` and
``request.args.get('page', 1, type=int)`` keep Flask's meaning here; anything else is the Starlette
request's own. End state: pass what a template needs in its context.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request

from .werkzeug_mappings import typed_get, typed_getlist


class Args:
    """Werkzeug's ``MultiDict`` reading of the query string: ``get`` with ``type=``, ``getlist``."""

    def __init__(self, params: Any):
        self._params = params

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:  # noqa: A002 - Werkzeug's name
        return typed_get(self._params, key, default, type)

    def getlist(self, key: str, type: Any = None) -> list:  # noqa: A002 - Werkzeug's name
        return typed_getlist(self._params, key, type)

    def to_dict(self, flat: bool = True) -> dict:
        if flat:
            return {k: self._params[k] for k in self._params}
        return {k: self._params.getlist(k) for k in self._params}

    def __getitem__(self, key: str) -> Any:
        return self._params[key]

    def __contains__(self, key: object) -> bool:
        return key in self._params

    def __iter__(self):
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def __bool__(self) -> bool:
        return bool(self._params)

    def keys(self):
        return self._params.keys()

    def values(self):
        return self._params.values()

    def items(self):
        return self._params.items()


def endpoint_of(request: Request) -> str | None:
    """Flask's endpoint of the matched route: ``blueprint.view`` for a route tagged with its blueprint.

    A ``before_request`` hook runs before Starlette routes (Flask had matched the URL already): the route
    matching the request is looked up then.
    """
    route = request.scope.get("route") or _matching_route(request)
    name = getattr(route, "name", None)
    if name is None:  # a rule of the Flask app hosting a REST extension, or none
        from .hosted_endpoints import hosted_endpoint

        return hosted_endpoint(request.scope)
    tags = getattr(route, "tags", None) or ()
    return f"{tags[0]}.{name}" if tags and "." not in name else name


class UrlRule:
    """Werkzeug's ``Rule`` as a template reads ``request.url_rule``: the endpoint, the rule in Flask's syntax
    (``/item/<int:n>``), its methods (HEAD and OPTIONS as Flask adds them) and argument names."""

    def __init__(self, route: Any, endpoint: str):
        self.endpoint = endpoint
        self.rule = re.sub(r"\{(\w+)(?::(\w+))?\}", _flask_part, getattr(route, "path", ""))
        methods = set(getattr(route, "methods", None) or ())
        self.methods = methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set()) if methods else None
        self.arguments = set(getattr(route, "param_convertors", None) or ())

    def __str__(self) -> str:
        return self.rule

    def __repr__(self) -> str:
        return f"<Rule {self.rule!r} -> {self.endpoint}>"


def _flask_part(match: re.Match) -> str:
    name, convertor = match.group(1), match.group(2)
    return f"<{name}>" if convertor in (None, "str") else f"<{convertor}:{name}>"


def _matching_route(request: Request) -> Any:
    from starlette.routing import Match

    from .urls import _all_routes

    app = request.scope.get("app")
    for route in _all_routes(getattr(app, "routes", ())):
        if route.matches(request.scope)[0] == Match.FULL:
            return route
    return None


def request_endpoint(request: Any) -> str | None:
    """Flask's ``request.endpoint`` (in a view, a hook or a helper)."""
    if _stands_in(request, "endpoint"):
        return request.endpoint
    return endpoint_of(starlette_request(request))


def _stands_in(request: Any, name: str) -> bool:
    """A test's stand-in patched over the module's request (``mock.patch("pkg.views.request")`` with
    ``.endpoint = "a.b"`` set): it holds Flask's attribute itself, where a request (Starlette's, Werkzeug's,
    the helper's proxy) computes it."""
    return not isinstance(request, Request) and name in getattr(request, "__dict__", ())


def request_blueprint(request: Any) -> str | None:
    """Flask's ``request.blueprint``: the endpoint's blueprint part."""
    endpoint = request_endpoint(request)
    return endpoint.rpartition(".")[0] or None if endpoint else None


def starlette_request(request: Any) -> Request:
    """The Starlette request behind a template's ``request`` (the helpers' own code reads Starlette's names)."""
    found = getattr(request, "starlette", request)
    if not hasattr(found, "scope"):  # Flask's own (an extension's view rendering its template): the one served
        from .context import _current

        found = _current.get(None) or found
    return found


class TemplateRequest:
    """The Starlette request with Flask's names for what a template reads."""

    def __init__(self, request: Request):
        self.__dict__["starlette"] = request

    def __getattr__(self, name: str) -> Any:
        return getattr(self.starlette, name)

    def __getitem__(self, key: str) -> Any:
        return self.starlette[key]

    @property
    def endpoint(self) -> str | None:
        return endpoint_of(self.starlette)

    @property
    def blueprint(self) -> str | None:
        return request_blueprint(self.starlette)

    @property
    def url_rule(self) -> UrlRule | None:
        """Flask's matched rule; None where no route matched (a 404 page)."""
        route, endpoint = self.starlette.scope.get("route") or _matching_route(self.starlette), self.endpoint
        return UrlRule(route, endpoint) if route is not None and endpoint is not None else None

    @property
    def view_args(self) -> dict:
        return dict(self.starlette.path_params)

    @property
    def args(self) -> Args:
        return Args(self.starlette.query_params)

    @property
    def path(self) -> str:
        from .werkzeug_request import request_path

        return request_path(self.starlette)

    @property
    def full_path(self) -> str:
        return f"{self.path}?{self.starlette.url.query}"

    @property
    def url(self) -> str:
        return str(self.starlette.url)

    @property
    def base_url(self) -> str:
        return str(self.starlette.url.replace(query=""))

    @property
    def url_root(self) -> str:
        return str(self.starlette.base_url)

    host_url = url_root

    @property
    def script_root(self) -> str:
        return self.starlette.scope.get("root_path", "")

    @property
    def host(self) -> str:
        return self.starlette.url.netloc

    @property
    def scheme(self) -> str:
        return self.starlette.url.scheme

    @property
    def is_secure(self) -> bool:
        return self.starlette.url.scheme == "https"

    @property
    def remote_addr(self) -> str | None:
        return self.starlette.client.host if self.starlette.client else None

    @property
    def referrer(self) -> str | None:
        return self.starlette.headers.get("referer")

    @property
    def user_agent(self) -> str:
        return self.starlette.headers.get("user-agent", "")
