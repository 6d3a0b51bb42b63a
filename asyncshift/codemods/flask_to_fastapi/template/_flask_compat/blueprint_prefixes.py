"""Flask's ``bp.url_prefix`` where ``bp`` is a converted blueprint: its APIRouter keeps the prefix as ``prefix``
(the conversion turns each ``x.url_prefix`` read into ``blueprint_url_prefix(x)``, rather than giving FastAPI's
APIRouter class a ``url_prefix`` of its own in every app of the process); a write is ``set_blueprint_url_prefix``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter


def blueprint_url_prefix(blueprint: Any) -> Any:
    """The router's prefix, None for none (as Flask has it); anything else's own ``url_prefix``."""
    if isinstance(blueprint, APIRouter):
        return blueprint.prefix or None
    return blueprint.url_prefix


def set_blueprint_url_prefix(blueprint: Any, value: Any) -> None:
    """Flask's ``bp.url_prefix = value`` before ``register_blueprint(bp)``: the router's routes declared so far move
    from its prefix to the new one (FastAPI put the prefix in each path; ``include_router`` copies the routes from
    their paths), and routes declared after get it; anything else's ``url_prefix`` is set."""
    if not isinstance(blueprint, APIRouter):
        blueprint.url_prefix = value
        return
    old, new = getattr(blueprint, "prefix", None) or "", (value or "").rstrip("/")  # (a subclass's, before __init__)
    for route in getattr(blueprint, "routes", ()):
        path = getattr(route, "path", None)
        if isinstance(path, str) and path.startswith(old):
            route.path = new + path[len(old) :]
    blueprint.prefix = new
