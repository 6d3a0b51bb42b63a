"""``User.create(...)``, ``user.save()``: a base's method giving back ``self`` or ``cls(...)`` gives the subclass.

A mixin's ``create`` classmethod (``instance = cls(**kwargs); return instance.save()``) and ``save`` returning
``self`` are typed in their own class (``cls`` and ``self`` are the mixin there): called on ``User`` they gave a
``CRUDMixin``, which has no ``socialize``, so ``new_user.socialize()``, a coroutine function of ``User``, was left
unawaited with no TODO (the row's social fields never saved). Called through a subclass (the class or an instance
of it), what the base's method gives as an instance of the base it is defined in is an instance of that subclass.

A method annotated as giving ``Self`` (``def find(cls, key) -> Self``, ``-> "Self"``, ``-> Optional[Self]``) gives
an instance of the class it is called through, or of its own class called otherwise: the annotation was typed as
``typing.Self``, a name from outside the run, and ``Thing.find(k).archive()`` was left unawaited with no TODO.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async import self_annotations
from codemods.sqlalchemy_to_async.exprs import Expr


def bound(types: Any, module: str, function: str | None, call: Expr) -> str | None:
    """The type ``call`` gives: what the callee returns, the receiver's class for a base's self-type."""
    callee = types.type_of(module, function, call[1])
    found = types.called(callee)
    if found in self_annotations.SELF and callee and callee.startswith("func:"):
        return _annotated_self(types, module, function, call, callee[5:])
    if not (found and found.startswith("inst:") and callee and callee.startswith("func:") and call[1][0] == "attr"):
        return found
    receiver = types.type_of(module, function, call[1][1])
    if not (receiver and receiver.startswith(("inst:", "class:"))):
        return found
    _, owner_module, qualname = receiver.split(":", 2)
    _, defined_module, method = callee.split(":", 2)
    defined = (defined_module, method.rpartition(".")[0])
    bases = [(c.module, c.qualname) for c in types.project.mro(owner_module, qualname)[1:]]
    if defined in bases and tuple(found[5:].split(":", 1)) == defined:
        return f"inst:{owner_module}:{qualname}"
    return found


def _annotated_self(types: Any, module: str, function: str | None, call: Expr, method_id: str) -> str | None:
    """``-> Self``: an instance of the receiver's class where it is the method's class or built on it, else of the
    method's own class."""
    method = types.project.by_id(method_id)
    if method is None or not method.cls:
        return None
    own = (method.module, method.cls)
    receiver = types.type_of(module, function, call[1][1]) if call[1][0] == "attr" else None
    if receiver and receiver.startswith(("inst:", "class:")):
        _, owner_module, qualname = receiver.split(":", 2)
        if own in [(c.module, c.qualname) for c in types.project.mro(owner_module, qualname)]:
            return f"inst:{owner_module}:{qualname}"
    return f"inst:{own[0]}:{own[1]}"
