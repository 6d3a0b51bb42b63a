"""Parameter callbacks: Typer passes what the callback's annotations ask for, Click always ``(ctx, param, value)``.

The callback's parameters are reordered (and named where missing) so Click's call lands on them.
"""

from __future__ import annotations

import libcst as cst

from codemods.typer_to_asyncclick.names import TyperNames


def click_signature(names: TyperNames, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
    """Typer calls a parameter callback with what it asks for; Click always passes (ctx, param, value)."""
    ctx = param = None
    untyped = []
    for p in original.params.params:
        ann = p.annotation.annotation if p.annotation else None
        resolved = names.resolve(ann) if ann is not None else None
        if resolved == "Context":
            ctx = p
        elif resolved == "CallbackParam":
            param = p
        else:
            untyped.append(p)
    if not untyped and ctx is None and param is None:
        return updated
    value = untyped.pop() if untyped else None
    if untyped and ctx is None:
        ctx = untyped.pop(0)
    if untyped and param is None:
        param = untyped.pop(0)
    by_name = {p.name.value: p for p in updated.params.params}

    def pick(p, fallback):
        return by_name[p.name.value] if p is not None else cst.Param(cst.Name(fallback))

    taken = {p.name.value for p in original.params.params}
    new_params = [
        pick(ctx, "ctx" if "ctx" not in taken else "_ctx"),
        pick(param, "param" if "param" not in taken else "_param"),
        pick(value, "value" if "value" not in taken else "_value"),
    ]
    return updated.with_changes(params=updated.params.with_changes(params=new_params))
