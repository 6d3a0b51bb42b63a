"""Flask's ``app.view_functions``: endpoint name -> view, read from the app's routes (their ``name=``).

Apps look a request's view up by its endpoint (``app.view_functions[request.endpoint]``, a CSRF check reading
an exemption mark the view's decorator set): the face's was an empty dict (KeyError in a before_request hook,
so every request failed). What the app stores itself stays, and wins. End state: ``request.scope["endpoint"]``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from typing import Any


def _routes(routes: Any) -> Iterator[Any]:
    from .urls import _all_routes  # included routers opened up (FastAPI 0.16x includes them lazily)

    for route in _all_routes(routes or ()):
        nested = getattr(route, "routes", None)
        if nested is not None and getattr(route, "endpoint", None) is None:  # a Mount: its app's routes
            yield from _routes(nested)
        else:
            yield route


class ViewFunctions(dict):
    """A dict of what the app stores, over the views of its routes by name."""

    def __init__(self, app: Any):
        super().__init__()
        self._app = weakref.ref(app)

    def _found(self) -> dict[str, Callable]:
        app = self._app()
        found: dict[str, Callable] = {}
        for route in _routes(getattr(app, "routes", ())):
            name, endpoint = getattr(route, "name", None), getattr(route, "endpoint", None)
            if name and endpoint is not None:
                found.setdefault(name, endpoint)
        from .hosted_endpoints import hosted_views  # a REST extension's Resources, kept on Flask

        return {**hosted_views(app), **found, **dict(dict.items(self))}

    def __missing__(self, key: str) -> Callable:
        found = self._found()
        if key in found:
            return found[key]
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return key in self._found()

    def get(self, key: str, default: Any = None) -> Any:
        return self._found().get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._found())

    def __len__(self) -> int:
        return len(self._found())

    def keys(self) -> Any:
        return self._found().keys()

    def values(self) -> Any:
        return self._found().values()

    def items(self) -> Any:
        return self._found().items()
