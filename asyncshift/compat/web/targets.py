"""Naming a request's target: ``(method, path) -> (target, route)`` from an ASGI app's route table.

The strangler asks the stage of the target; the route (the path template) groups side-by-side
results, so ``/api/calendars/1`` and ``/api/calendars/2`` count as one.
"""

from __future__ import annotations

import collections
import re
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
        self._table = _RouteTable.of(self.routes, self._named)

    def __call__(self, method: str, path: str) -> tuple[str, str]:
        table = self._table
        if table is not None:  # the table's match read here, not through a method: one call less a request
            match = table.pattern.match(path)
            if match is not None:
                answer, methods = table.found[match.lastgroup]
                if methods is None or method in methods:
                    return answer
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


_GROUP = re.compile(r"\(\?P<[^>]+>")


class _RouteTable:
    """Every HTTP route's path regex in one alternation, so a request's route is one C-level match,
    whatever its path parameters: a cache keyed by path misses on every new id (``/items/7``,
    ``/items/8``...), and each miss walked the routes in Python. The first alternative that matches
    is the first route whose path matches, as Starlette's walk finds it; a method that route does
    not take (a 405, a HEAD elsewhere) is left to that walk (``RouteTargets`` falls through)."""

    def __init__(self, pattern: re.Pattern[str], found: dict[str, tuple[tuple[str, str], Any]]) -> None:
        self.pattern = pattern
        self.found = found  # group name -> ((target, route), methods or None)

    @classmethod
    def of(cls, routes: Sequence[Any], named: Callable[[Any], tuple[str, str]]) -> _RouteTable | None:
        """The table, or None when a route is of a kind whose matching is not its path regex alone."""
        alternatives, found = [], {}
        for index, route in enumerate(routes):
            kind = _matched_by(route)
            if kind == "websocket":
                continue  # never an HTTP request's
            if kind != "path":
                return None
            regex = getattr(route, "path_regex", None)
            if regex is None:
                return None
            group = f"r{index}"
            alternatives.append(f"(?P<{group}>{_GROUP.sub('(?:', regex.pattern)})")
            found[group] = (named(route), getattr(route, "methods", None))
        if not alternatives:
            return None
        try:
            return cls(re.compile("|".join(alternatives)), found)
        except re.error:  # a pattern that does not combine (a back-reference): Starlette's walk
            return None


def _matched_by(route: Any) -> str:
    """``path`` when ``route`` matches an HTTP request by its path regex and methods alone (Starlette's
    ``Route`` and ``Mount``, FastAPI's ``APIRoute``, and FastAPI 0.13x's route contexts around them),
    ``websocket`` for a WebSocket route, ``other`` for anything else (a ``Host``, a custom ``matches``)."""
    from starlette.routing import Mount, Route, WebSocketRoute

    inner = route._effective_route if type(route).__name__ == "RouteContext" else route
    if isinstance(inner, WebSocketRoute):
        return "websocket"
    matches = type(inner).matches
    if matches in (Route.matches, Mount.matches):
        return "path"
    try:
        from fastapi import routing
    except ImportError:
        return "other"
    if matches is routing.APIRoute.matches:  # Starlette's, and the route put in the child scope
        return "path"
    context = getattr(routing, "_EffectiveRouteContext", None)
    if context is not None and matches is context.matches and isinstance(inner.original_route, routing.APIRoute):
        return "path"
    return "other"


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
