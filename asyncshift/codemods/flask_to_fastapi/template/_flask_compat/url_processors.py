"""Flask's URL processors on the FastAPI app: ``@app.url_defaults``, ``@app.url_value_preprocessor`` and
``app.url_map.is_endpoint_expecting``.

An app fills values every ``url_for`` needs (a theme, a language, a cache-busting version) in a ``url_defaults``
callback, and reads them back from the matched URL in a ``url_value_preprocessor``. The FastAPI app keeps them as
Flask did (``url_default_functions``, ``url_value_preprocessors``, by blueprint name, None for the app's): the
helper's ``url_for`` runs the defaults, the request cycle runs the preprocessors before the ``before_request``
hooks. The Flask app behind the extensions shares the same lists, so a callback registered through
``flask.current_app`` (a module imported inside the factory's app context) runs too.

End state: build those values where the URLs are built, and read them with a dependency.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from starlette.routing import Match, Mount, Route

from .redirects import UrlMap as _UrlMap
from .urls import _DEFAULT_ROUTES, _all_routes

_DEFAULTS_DONE: contextvars.ContextVar[bool] = contextvars.ContextVar("flask_compat_url_defaults_done", default=False)


def processors(app: Any) -> None:
    """The app's (empty) registries of URL processors, as Flask's ``Scaffold`` has them."""
    app.url_default_functions = defaultdict(list)
    app.url_value_preprocessors = defaultdict(list)


def share(app: Any, flask_app: Any) -> None:
    """A Flask app standing for ``app`` (the extensions' shadow, the old tests' URL twin) registers into, and
    runs, the same callbacks."""
    if hasattr(app, "url_default_functions"):
        flask_app.url_default_functions = app.url_default_functions
        flask_app.url_value_preprocessors = app.url_value_preprocessors


def _names(endpoint: str | None) -> list[str | None]:
    """None (the app's own), then each blueprint of ``a.b.view`` from the outermost: Flask's order."""
    names: list[str | None] = [None]
    if endpoint and "." in endpoint:
        parts = endpoint.rpartition(".")[0].split(".")
        names += [".".join(parts[: i + 1]) for i in range(len(parts))]
    return names


def inject_url_defaults(app: Any, endpoint: str, values: dict) -> None:
    """Flask's ``app.inject_url_defaults``: every ``url_defaults`` callback for the endpoint edits ``values``.

    Skipped when Flask's own ``url_for`` (the Flask app behind the extensions) ran them before asking for the URL.
    """
    registry = getattr(app, "url_default_functions", None)
    if not registry or _DEFAULTS_DONE.get():
        return
    for name in _names(endpoint):
        for fn in list(registry.get(name, ())):
            fn(endpoint, values)


@contextlib.contextmanager
def defaults_done() -> Iterator[None]:
    """Flask's ``url_for`` ran the callbacks already: the helper's ``url_for`` it calls does not again."""
    token = _DEFAULTS_DONE.set(True)
    try:
        yield
    finally:
        _DEFAULTS_DONE.reset(token)


def preprocess_url_values(app: Any, endpoint: str | None, values: dict | None) -> None:
    """Flask's first step of ``preprocess_request``: each ``url_value_preprocessor`` gets the endpoint and the
    matched URL's values (a callback popping one, ``g.lang = values.pop("lang")``, works: FastAPI hands a view
    only the parameters it names)."""
    registry = getattr(app, "url_value_preprocessors", None)
    if not registry:
        return
    for name in _names(endpoint):
        for fn in list(registry.get(name, ())):
            fn(endpoint, values)


def preprocess_request(app: Any, scope: dict) -> None:
    """The callbacks for the route matching ``scope`` (none matched: endpoint and values None, as in Flask)."""
    if not any(getattr(app, "url_value_preprocessors", {}).values()):
        return
    endpoint, values = None, None
    for route in _all_routes(app.routes):
        match, child = route.matches(scope)
        if match == Match.FULL:
            name = getattr(route, "name", None)
            tags = getattr(route, "tags", None) or ()
            endpoint = f"{tags[0]}.{name}" if name and tags and "." not in name else name
            values = dict(child.get("path_params", {}))
            break
    preprocess_url_values(app, endpoint, values)


def url_defaults(router: Any, app_wide: bool = False) -> Callable[[Callable], Callable]:
    """A blueprint's ``@bp.url_defaults`` (its endpoints only) or ``@bp.app_url_defaults`` (every endpoint)."""
    return _register(router, "url_default_functions", app_wide)


def url_value_preprocessor(router: Any, app_wide: bool = False) -> Callable[[Callable], Callable]:
    """A blueprint's ``@bp.url_value_preprocessor`` (its routes only) or ``@bp.app_url_value_preprocessor``."""
    return _register(router, "url_value_preprocessors", app_wide)


_ROUTER_PROCESSORS: list[tuple[str, str | None, Callable]] = []  # (registry, blueprint name or None, callback)


def _register(router: Any, registry: str, app_wide: bool) -> Callable[[Callable], Callable]:
    def decorator(fn: Callable) -> Callable:
        own = getattr(router, registry, None)
        if own is not None:  # an app (got as a parameter): its own
            own[None].append(fn)
        else:
            tags = getattr(router, "tags", None) or [None]
            _ROUTER_PROCESSORS.append((registry, None if app_wide else str(tags[0]), fn))
        return fn

    return decorator


def install_router_processors(app: Any) -> None:
    """The blueprints' callbacks on the app that serves them, once, when it builds its middleware."""
    for registry, name, fn in _ROUTER_PROCESSORS:
        callbacks = getattr(app, registry, None)
        if callbacks is not None and fn not in callbacks[name]:
            callbacks[name].append(fn)


class UrlMap(_UrlMap):
    """``app.url_map`` with what apps ask of Werkzeug's ``Map`` about the app's routes."""

    def __init__(self, app: Any = None) -> None:
        super().__init__()
        self._app = app

    def is_endpoint_expecting(self, endpoint: str, *arguments: str) -> bool:
        """Werkzeug's: does a route of ``endpoint`` take all ``arguments`` (its path's or its defaults')? An
        endpoint no route has is Werkzeug's ``KeyError``."""
        found = endpoint_arguments(self._app, endpoint)
        if not found:
            raise KeyError(endpoint)
        return any(set(arguments) <= names for names in found)

    def iter_rules(self, endpoint: str | None = None) -> Iterator[Any]:
        """Werkzeug's: the app's routes as rules (``url_rules``)."""
        from .url_rules import iter_rules

        return iter_rules(self._app, endpoint)


def endpoint_arguments(app: Any, endpoint: str) -> list[set[str]]:
    """The arguments of each route named ``endpoint`` (``blog.index`` also finds ``index`` tagged ``blog``)."""
    if app is None:
        return []
    tag, _, short = endpoint.rpartition(".")
    found = []
    for route in _all_routes(app.routes):
        name = getattr(route, "name", None)
        if name != endpoint and not (tag and name == short and tag in (getattr(route, "tags", None) or ())):
            continue
        if isinstance(route, Mount):
            found.append({"filename"})  # a static mount: Flask's rule is <path:filename>
        elif isinstance(route, Route) or hasattr(route, "param_convertors"):
            defaults = _DEFAULT_ROUTES.get(id(getattr(route, "original_route", route)), {})
            found.append(set(getattr(route, "param_convertors", {})) | set(defaults))
    return found
