"""Naming a request's target: ``(method, path) -> (target, route)`` from an ASGI app's route table.

The strangler asks the stage of the target; the route (the path template) groups side-by-side
results, so ``/api/calendars/1`` and ``/api/calendars/2`` count as one.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Sequence
from typing import Any

DEFAULT_TARGET = "web"


class RouteTargets:
    """``(method, path) -> (target, route)`` from an ASGI app's route table (Starlette/FastAPI).

    ``of_route(route)`` names a matching route's target (None: ``default``); ``route`` is the
    route's path template, used to group side-by-side results. Answers are cached (bounded).
    """

    def __init__(
        self,
        routes: Sequence[Any],
        of_route: Callable[[Any], str | None],
        *,
        default: str = DEFAULT_TARGET,
        cache_size: int = 4096,
    ) -> None:
        self.routes = list(routes)
        self.of_route = of_route
        self.default = default
        self.cache_size = cache_size
        self._cache: collections.OrderedDict[tuple[str, str], tuple[str, str]] = collections.OrderedDict()

    def __call__(self, method: str, path: str) -> tuple[str, str]:
        key = (method, path)
        found = self._cache.get(key)
        if found is None:
            found = self._resolve(method, path)
            self._cache[key] = found
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return found

    def _resolve(self, method: str, path: str) -> tuple[str, str]:
        from starlette.routing import Match

        scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}
        partial = None
        for route in self.routes:
            match, _child = route.matches(scope)
            if match == Match.FULL:
                return self._named(route)
            if match == Match.PARTIAL and partial is None:
                partial = route  # the path is this route's, the method is not: same target
        if partial is not None:
            return self._named(partial)
        return self.default, "(unrouted)"

    def rules(self) -> list[tuple[str, str, str]]:
        """(path regex, target, route) of every route with a path, in matching order: what a
        reverse proxy needs to route by the same table (``compat.control.nginx``)."""
        found = []
        for route in self.routes:
            regex = getattr(route, "path_regex", None)
            if regex is not None:
                target, path = self._named(route)
                found.append((regex.pattern, target, path))
        return found

    def _named(self, route: Any) -> tuple[str, str]:
        return self.of_route(route) or self.default, getattr(route, "path", "") or "(mount)"


def flat_routes(app: Any) -> list[Any]:
    """An app's routes, one per endpoint: FastAPI 0.13x+ nests included routers (its public
    ``iter_route_contexts`` flattens them); older FastAPI and Starlette list them flat already."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def tag_target(prefix: str) -> Callable[[Any], str | None]:
    """``of_route`` naming a route ``<prefix>.<first tag>`` (FastAPI routers' ``tags``)."""

    def of_route(route: Any) -> str | None:
        tags = getattr(route, "tags", None)
        return f"{prefix}.{tags[0]}" if tags else None

    return of_route
