"""How a function uses a thread it makes, read from its ``ast``: what ``threads`` may turn into a task.

A thread bound to a name that the function only starts and joins (``t = Thread(...)``, ``t.start()``,
``t.join()``) is "named"; one started where it is made (``Thread(...).start()``) is "started". Anything else
(returned, stored, handed on, asked ``is_alive()``) lets it out, where a task would not answer as a thread:
None, and the thread is left alone.
"""

from __future__ import annotations

import ast

TASK_METHODS = {"start", "join"}


def use(function: ast.AST, call: ast.Call) -> str | None:
    """ "named", "started" or None for the ``Thread(...)`` ``call`` inside ``function``."""
    parents = {id(child): parent for parent in ast.walk(function) for child in ast.iter_child_nodes(parent)}
    parent = parents.get(id(call))
    if isinstance(parent, ast.Attribute) and parent.attr == "start":
        outer = parents.get(id(parent))
        if isinstance(outer, ast.Call) and outer.func is parent and isinstance(parents.get(id(outer)), ast.Expr):
            return "started"
        return None
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return None
    name = parent.targets[0].id
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id == name and node is not parent.targets[0]:
            attribute = parents.get(id(node))
            called = parents.get(id(attribute))
            if not (
                isinstance(attribute, ast.Attribute)
                and attribute.attr in TASK_METHODS
                and isinstance(called, ast.Call)
                and called.func is attribute
            ):
                return None
    return "named"
