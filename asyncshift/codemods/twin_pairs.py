"""The classes a twin has in common with its original, for the report: what ``compat.dual`` puts side by
side (``DualService(target, old, new)``, ``DualUnits`` repositories), with the methods that became
coroutines (the ones a dual adapter routes and bridges)."""

from __future__ import annotations

import ast
import warnings


def _classes(text: str) -> dict[str, ast.ClassDef]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return {}
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def _methods(node: ast.ClassDef) -> dict[str, bool]:
    """Method name -> whether it is ``async def``."""
    return {
        item.name: isinstance(item, ast.AsyncFunctionDef)
        for item in node.body
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def class_pairs(old_text: str, new_text: str, old_module: str, new_module: str) -> list[dict]:
    """One entry per top-level class defined in both texts, in the original's order."""
    old, new = _classes(old_text), _classes(new_text)
    pairs = []
    for name, node in old.items():
        if name not in new:
            continue
        before, after = _methods(node), _methods(new[name])
        became = sorted(m for m, is_async in after.items() if is_async and before.get(m) is False)
        pairs.append({"old": f"{old_module}.{name}", "new": f"{new_module}.{name}", "async_methods": became})
    return pairs
