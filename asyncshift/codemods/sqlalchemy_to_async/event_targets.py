"""SQLAlchemy's event registration reached through Flask-SQLAlchemy's ``db`` (``db.event.listens_for(...)``, or
``self.event`` in a subclass of its ``SQLAlchemy``): ``db.event`` is ``sqlalchemy.event``, so its target stays the
sync class as ``event.listens_for``'s does (``transformer.EVENT_TARGETS``): ``listens_for(AsyncEngine, "connect")``
fails (SQLAlchemy has no events on ``AsyncEngine``; an async engine's fire on its ``sync_engine``)."""

from __future__ import annotations

import libcst as cst


def through_db(func: cst.BaseExpression) -> bool:
    """``<anything>.event.listens_for`` / ``<anything>.event.listen``."""
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value in ("listens_for", "listen")
        and isinstance(func.value, cst.Attribute)
        and func.value.attr.value == "event"
    )
