"""A model's property reading a relationship of its own object that loads on read (``self.status``, a mixin's), read
from async code or a class-based view held sync: the property runs in SQLAlchemy's greenlet.

``handed_reads`` loads the relationships a property reads with their object (``lazy="selectin"``), or gives them a
TODO and ``lazy_properties`` (``greenlet_reads``) reads the property in the greenlet; a mixin's ``declared_attr``
relationship is neither (its ``lazy=`` is in a function): it loads on read, and ``sketch.get_status`` (reading
``self.status``) in an async classmethod or a held view raised ``MissingGreenlet``. So ``x.prop`` there, where
``prop`` is such a property of a class ``x`` may be an instance of, is read as ``greenlet_reads`` reads the others:
``await greenlet_spawn(getattr, x, "prop")`` (its held-view and unittest forms).
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import handed_reads

PROPERTIES = {"property", "cached_property"}


def reads_own(conv: Any, value: cst.BaseExpression, name: str, lazy: dict[str, set[str]]) -> bool:
    """``value.name`` reads such a property (``lazy``: ``greenlet_reads.lazy_relationships``), unless ``value`` is
    typed as an instance of a class of the run that has none of that name, nor its subclasses."""
    owners = properties(conv.project, lazy).get(name)
    if not owners:
        return False
    found = conv.type_of(value) or ""
    if not found.startswith("inst:"):
        return True  # ``getattr`` gives what ``x.prop`` gave on any object
    project = conv.project
    module, _, qualname = found[5:].partition(":")
    lineages = [project.mro(module, qualname)]
    lineages += [project.mro(sub.module, sub.qualname) for sub in project.built_on(module, qualname)]
    return any(cls.qualname.rpartition(".")[2] in owners for classes in lineages for cls in classes)


def properties(project: Any, lazy: dict[str, set[str]]) -> dict[str, set[str]]:
    """The run's sync properties reading ``self.rel``, a relationship of their class's lineage that loads on read:
    name -> the names of the classes defining them."""
    found = getattr(project.types, "_greenlet_own_properties", None)
    if found is not None:
        return found
    found = project.types._greenlet_own_properties = {}
    handled = {(method, key[2]) for key, where in handed_reads.sync_reads(project).items() for method in where}
    for module in project.modules.values():
        for qualname, name in sorted(getattr(module.flows, "self_reads", ())):
            func = module.functions.get(qualname)
            if func is None or func.cls is None or func.is_async or name not in lazy or (qualname, name) in handled:
                continue  # (a relationship ``handed_reads`` loads with its object, or ``lazy_properties`` names)
            if not any(d.rpartition(".")[2] in PROPERTIES for d in func.decorators):
                continue
            if any(c.qualname.rpartition(".")[2] in lazy[name] for c in project.mro(func.module, func.cls)):
                found.setdefault(func.name, set()).add(func.cls.rpartition(".")[2])
    return found
