"""The libcst node of a function of the module being rewritten, by the qualname the first pass gave it (``f``,
``Cls.method``, ``f.inner``): rules reading the function's own code where they stand (what a name was assigned,
``prewalk``'s body) find it without a walk of their own. The module is walked once, at the first question."""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.cst_walk import children


def node(conv: Any, qualname: str | None) -> cst.FunctionDef | None:
    found = conv.__dict__.get("_function_nodes")
    if found is None:
        found = conv.__dict__["_function_nodes"] = {}
        stack: list[tuple[cst.CSTNode, str | None]] = [(conv.module, None)]
        while stack:
            current, prefix = stack.pop()
            if isinstance(current, (cst.FunctionDef, cst.ClassDef)):
                name = f"{prefix}.{current.name.value}" if prefix else current.name.value
                if isinstance(current, cst.FunctionDef):
                    found.setdefault(name, current)
                stack.extend((child, name) for child in children(current))
            else:
                stack.extend((child, prefix) for child in children(current))
    return found.get(qualname) if qualname else None
