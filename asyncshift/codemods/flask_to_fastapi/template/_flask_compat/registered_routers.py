"""A Blueprint subclass's own ``register(app, options)``, kept: the converted class derives from ``RegisteredRouter``;
the app including it (``include_router``, the face's) calls its ``register`` as Flask's ``register_blueprint`` did,
and ``super().register(app, options)`` there includes the router's routes (those its ``register`` added too)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter


class RegisteredRouter(APIRouter):
    def register(self, app: Any, options: dict) -> None:
        prefix = options.get("url_prefix")
        app.include_router(self, registering=True, **({"prefix": prefix} if prefix is not None else {}))


def registered(app: Any, router: Any, kwargs: dict) -> bool:
    """Whether the router's own ``register`` took the include (``face.include_router``); ``kwargs`` loses the flag."""
    if not isinstance(router, RegisteredRouter) or kwargs.pop("registering", False):
        return False
    prefix = kwargs.get("prefix")
    router.register(app, {"url_prefix": prefix} if prefix is not None else {})
    return True
