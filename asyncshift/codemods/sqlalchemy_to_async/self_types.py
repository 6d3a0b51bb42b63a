"""``User.create(...)``, ``user.save()``: a base's method giving back ``self`` or ``cls(...)`` gives the subclass.

A mixin's ``create`` classmethod (``instance = cls(**kwargs); return instance.save()``) and ``save`` returning
``self`` are typed in their own class (``cls`` and ``self`` are the mixin there): called on ``User`` they gave a
``CRUDMixin``, which has no ``socialize``, so ``new_user.socialize()``, a coroutine function of ``User``, was left
unawaited with no TODO (the row's social fields never saved). Called through a subclass (the class or an instance
of it), what the base's method gives as an instance of the base it is defined in is an instance of that subclass.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async.exprs import Expr


def bound(types: Any, module: str, function: str | None, call: Expr) -> str | None:
    """The type ``call`` gives: what the callee returns, the receiver's class for a base's self-type."""
    callee = types.type_of(module, function, call[1])
    found = types.called(callee)
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
