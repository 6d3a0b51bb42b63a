"""Which request paths a mounted app answers: static files and sub-apps, which the strangler serves
but does not replay side by side.

A ``Mount`` (``app.mount("/static", StaticFiles(...))``, a sub-application) is opaque to the route
table the targets are named from: every path under it is one target, and whether the other side
has a twin of it at all is unknown. Replaying its requests compares files or another app's pages
with whatever the other side answers at that path (a 404, often): mismatches that are not the
migration's. So they are served by the stage of their target and not compared, unless the
strangler is told to (``Strangler(replay_mounted=True)``).
"""

from __future__ import annotations

import collections
from collections.abc import Sequence
from typing import Any


class MountedPaths:
    """``mounted(path) -> bool``: whether the app whose ``routes`` these are hands ``path`` to a
    mounted app (the first route that matches it fully is a ``Mount`` or a ``Host``), as its
    router would. Answers are cached (bounded)."""

    def __init__(self, routes: Sequence[Any], *, cache_size: int = 4096) -> None:
        self.routes = list(routes)
        self.cache_size = cache_size
        self._cache: collections.OrderedDict[str, bool] = collections.OrderedDict()

    @classmethod
    def of(cls, app: Any) -> MountedPaths:
        """Of an ASGI app with a Starlette route table (FastAPI, Starlette); nothing for others."""
        return cls(getattr(app, "routes", None) or ())

    def __call__(self, path: str) -> bool:
        found = self._cache.get(path)
        if found is None:
            found = self._resolve(path)
            self._cache[path] = found
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return found

    def _resolve(self, path: str) -> bool:
        if not self.routes:
            return False
        from starlette.routing import Host, Match, Mount

        scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": []}
        for route in self.routes:
            match, _child = route.matches(scope)
            if match == Match.FULL:
                return isinstance(route, Mount | Host)
        return False
