"""A relationship that loads on read, read in a coroutine off a model it was handed, is read in SQLAlchemy's greenlet.

``_archive(self, thing: Thing)``, async once converted, iterating ``thing.parts`` (``lazy="select"`` written in the
model, which ``handed_reads`` keeps): ``thing`` came from ``Thing.get_with_acl(k)``, a base's classmethod loading
it with ``session.get(cls, k)`` in another function, where no ``selectinload`` for a read here goes
(``lazy_loads``). The read was a lazy load in async code: ``MissingGreenlet`` under the AsyncSession (a view archiving
its object failed so, after its ACL check). So, in a coroutine, ``x.rel`` where ``x`` is a parameter (not the bound
``self``: ``greenlet_reads``' own-reads rule), a local holding only what functions of the run return, or a loop's
row of a relationship (``for timeline in sketch.timelines``), typed as an instance of a class of the run whose
lineage, or a subclass's, has ``rel`` loading on read, is read as ``await greenlet_spawn(getattr, x, "rel")`` (what
``x.awaitable_attrs.rel`` does, and on any base). Relationships loading with their object (an eager ``lazy=``
written, or the ``lazy="selectin"`` ``handed_reads`` writes where none is) are read as they were; so is one off an
untyped name (``param_reads`` takes those for sync functions).
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import handed_reads, param_reads


def handed(conv: Any, value: cst.BaseExpression, name: str, lazy: dict[str, set[str]]) -> bool:
    """Whether ``value.name`` in the coroutine being converted is such a read (``lazy``: relationship name -> the
    classes having it, ``greenlet_reads.lazy_relationships``)."""
    func = conv.project.by_id(conv.function_id) if conv.function_id and isinstance(value, cst.Name) else None
    if func is None or name not in lazy:
        return False
    local = value.value
    if local in func.params:
        if func.cls and local == func.first_param and "staticmethod" not in func.decorators:
            return False
    elif not _loaded_elsewhere(conv.project, func, local):
        return False
    if not (conv.project.types.type_of(func.module, func.qualname, ("name", local)) or "").startswith("inst:"):
        return False
    owners = _still_loading(conv.project, lazy).get(name)
    return bool(owners) and param_reads._may_have(conv.project, func, local, owners)


def _loaded_elsewhere(project: Any, func: Any, local: str) -> bool:
    """``local`` only holds what functions of the run return (``handed_reads``) or the rows of a relationship read
    (``for timeline in sketch.timelines``: loaded by that read, where no ``selectinload`` goes either)."""
    bound = func.locals.get(local, ())
    rows = bool(bound) and all(value and value[0] == "each" and value[1][0] == "attr" for _, value in bound)
    return rows or handed_reads._loaded_elsewhere(project, func, local)


def _still_loading(project: Any, lazy: dict[str, set[str]]) -> dict[str, set[str]]:
    found = getattr(project.types, "_coroutine_reads", None)
    if found is None:
        found = project.types._coroutine_reads = param_reads._loading(project, lazy)
    return found
