"""A parameter annotated ``typing.Self`` is of the class whose method it is in, as ``self`` unannotated is.

``def find(cls: t.Self, id)`` and ``def save(self: t.Self)`` (an app annotating every method so) were typed
as ``typing.Self``, a name from outside the run: ``self`` and ``cls`` knew nothing of their class, so what a
method read or called through them (``cls.__fsa__.session.get(...)``, ``self.user``) had no type and was left sync.
The first parameter takes the rule of an unannotated one (the class in a classmethod, else an instance, a
``SQLAlchemy`` subclass's ``self`` its ``db``); another parameter so annotated is an instance of the class.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async.fact_records import FunctionFacts

SELF = {"extern:typing.Self", "extern:typing_extensions.Self"}


def typed(types: Any, func: FunctionFacts, name: str) -> str | None:
    """The type the annotation of ``func``'s parameter ``name`` gives; None for a first parameter annotated
    ``Self`` (the caller's rule for an unannotated one types it)."""
    found = types.annotation(func.module, func.qualname, func.params[name])
    if found not in SELF or not func.cls or "staticmethod" in func.decorators:
        return found
    return None if name == func.first_param else f"inst:{func.module}:{func.cls}"
