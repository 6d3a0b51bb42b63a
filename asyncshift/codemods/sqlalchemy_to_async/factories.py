"""factory-boy factories: calling one builds its ``Meta.model`` (``UserFactory(active=True)`` is a ``User``).

Tests build their rows with factories (``SQLAlchemyModelFactory``, ``factory.Factory``), and a fixture returns one.
Typed as the factory, ``user.save()`` on what it built was unknown: a model method that became a coroutine was
left unawaited in the test (the row never saved, the test's next request inserted it twice).
"""

from __future__ import annotations

from typing import Any

FACTORY_MODULES = ("ref:factory.",)  # factory-boy's classes, whatever the module they are imported from


def model_of(types: Any, cls: str) -> str | None:
    """``inst:`` of the model a factory class (``class:module:Name``) builds, if it is one with a known model."""
    module, qualname = cls[6:].split(":", 1)
    classes = types.project.mro(module, qualname)
    if not any(_factory_base(types, c) for c in classes):
        return None
    for factory in classes:
        meta = types.project.modules[factory.module].classes.get(f"{factory.qualname}.Meta")
        for _method, (kind, expr) in (meta.attrs.get("model", []) if meta else [])[::-1]:
            found = types.type_of(factory.module, None, expr) if kind == "value" else None
            if found and found.startswith("class:"):
                return "inst:" + found[6:]
    return None


def _factory_base(types: Any, cls: Any) -> bool:
    for base in cls.bases:
        found = types.type_of(cls.module, None, base) or ""
        if found.startswith(FACTORY_MODULES):
            return True
    return False
