"""How a function uses a thread it makes, read from its ``ast``: what ``threads`` may turn into a task.

A thread bound to a name, started by the very next statement and otherwise only joined (``t = Thread(...)``,
``t.start()``, ``t.join()``), is "named"; one started where it is made (``Thread(...).start()``) is "started".
Anything else (started later or on a condition, returned, stored, handed on, asked ``is_alive()``) is None: a
task starts when it is made, and would not answer as a thread, so the thread is left alone.
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
    if not _started_next(parents.get(id(parent)), parent, name):
        return None
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


def _started_next(block: ast.AST | None, assign: ast.Assign, name: str) -> bool:
    """Whether the statement after ``assign`` in its block is ``name.start()``."""
    for field in ("body", "orelse", "finalbody"):
        statements = getattr(block, field, None) or []
        if assign in statements:
            index = statements.index(assign)
            after = statements[index + 1] if index + 1 < len(statements) else None
            return (
                isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Call)
                and not after.value.args
                and isinstance(after.value.func, ast.Attribute)
                and after.value.func.attr == "start"
                and isinstance(after.value.func.value, ast.Name)
                and after.value.func.value.id == name
            )
    return False
