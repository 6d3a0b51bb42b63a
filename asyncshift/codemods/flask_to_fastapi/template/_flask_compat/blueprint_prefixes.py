"""Flask's ``bp.url_prefix`` where ``bp`` is a converted blueprint: its APIRouter keeps the prefix as ``prefix``
(the conversion turns each ``x.url_prefix`` read into ``blueprint_url_prefix(x)``, rather than giving FastAPI's
APIRouter class a ``url_prefix`` of its own in every app of the process)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter


def blueprint_url_prefix(blueprint: Any) -> Any:
    """The router's prefix, None for none (as Flask has it); anything else's own ``url_prefix``."""
    if isinstance(blueprint, APIRouter):
        return blueprint.prefix or None
    return blueprint.url_prefix
