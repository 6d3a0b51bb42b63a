"""``cls.query`` in a mixin's classmethod is the ``query_property()`` of the models built on it.

``CommentMixin.get_with_comments(cls, **kw)`` returning ``cls.query.filter_by(**kw).options(...).all()``: the mixin
is no model (``class CommentMixin:``), the ``query`` is ``BaseModel.query = db_session.query_property()`` of each
model listing the mixin beside ``BaseModel``. Typed on the mixin alone, ``cls.query`` was unknown, the chain was left
as it was, and ``BaseModel.query`` is ``None`` once converted (an ``async_scoped_session`` has no
``query_property()``): ``AttributeError: 'NoneType' object has no attribute 'filter_by'`` in every view calling it.
A class with no ``query_property()`` of its own whose subclasses in the run that have one all have that of one
scoped session has it too: the chain becomes a ``select(cls)`` awaited on that session, as a model's does.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async import query_properties


def scoped(project: Any, module: str, qualname: str) -> tuple[str, str] | None:
    """Where the ``scoped_session`` is whose ``query_property()`` the class's ``query`` is (its own, through its
    bases, or the one every subclass having one has)."""
    found = query_properties.scoped_of(project, module, qualname)
    if found is not None:
        return found
    cache = project.__dict__.setdefault("_mixin_queries", {})
    if (module, qualname) not in cache:
        subclasses = project.built_on(module, qualname)
        scoped = {query_properties.scoped_of(project, c.module, c.qualname) for c in subclasses} - {None}
        cache[(module, qualname)] = scoped.pop() if len(scoped) == 1 else None
    return cache[(module, qualname)]
