"""How a function uses a thread it makes, read from its ``ast``: what ``threads`` may turn into a task.

A thread bound to a name, started by the very next statement and otherwise only joined (``t = Thread(...)``,
``t.start()``, ``t.join()``), is "named"; one started where it is made (``Thread(...).start()``) is "started".
Threads made together and then started together (``a = Thread(...)``, ``b = Thread(...)``, ``a.start()``,
``b.start()``) are "named" too: nothing runs between the making and the start but the making or starting of other
threads, whose arguments call nothing. Anything else (started later or on a condition, returned, stored, handed
on, asked ``is_alive()``) is None: a task starts when it is made, and would not answer as a thread, so the thread
is left alone.

A thread's target may be a lambda of no parameters whose body is one call (``target=lambda: work(a)``), or a
local bound once to one and named nowhere else but as the ``target`` of threads (``lambda_target``): it runs that
call, and ``threads`` follows it.
"""

from __future__ import annotations

import ast
from typing import Any

from codemods.sqlalchemy_to_async.exprs import Expr, from_ast

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
    """Whether ``name.start()`` follows ``assign`` in its block, with only other threads made or started between."""
    for field in ("body", "orelse", "finalbody"):
        statements = getattr(block, field, None) or []
        if assign in statements:
            for after in statements[statements.index(assign) + 1 :]:
                if _start_of(after) == name:
                    return True
                if _start_of(after) is None and not _made_quietly(after):
                    return False
    return False


def _start_of(statement: ast.stmt) -> str | None:
    """``x`` for a statement ``x.start()``, else None."""
    call = statement.value if isinstance(statement, ast.Expr) else None
    if isinstance(call, ast.Call) and not call.args and not call.keywords and isinstance(call.func, ast.Attribute):
        if call.func.attr == "start" and isinstance(call.func.value, ast.Name):
            return call.func.value.id
    return None


def _made_quietly(statement: ast.stmt) -> bool:
    """``x = Thread(...)`` whose arguments call nothing (what a lambda calls runs later): it runs no code."""
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
        return False
    call = statement.value
    if not (isinstance(statement.targets[0], ast.Name) and isinstance(call, ast.Call) and _is_thread(call)):
        return False
    pending = [*call.args, *(k.value for k in call.keywords)]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Call | ast.Await | ast.Yield | ast.YieldFrom | ast.NamedExpr):
            return False
        if not isinstance(node, ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))
    return True


def _is_thread(call: ast.Call) -> bool:
    """``Thread(...)``, ``threading.Thread(...)``: by name, as the first pass reads threads."""
    func = call.func
    return (func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)) == "Thread"


def has_params(node: ast.Lambda) -> bool:
    args = node.args
    return bool(args.posonlyargs or args.args or args.kwonlyargs or args.vararg or args.kwarg)


def lambda_body(node: ast.AST | None) -> ast.Call | None:
    """The call a lambda of no parameters makes (``lambda: work(a)``), else None."""
    if not isinstance(node, ast.Lambda) or not isinstance(node.body, ast.Call) or has_params(node):
        return None
    return node.body


def runs(target: ast.AST | None) -> Expr:
    """What a thread's ``target`` runs, as the facts keep it: ``("lambda", work)`` for ``lambda: work(a)``."""
    body = lambda_body(target)
    return ("lambda", from_ast(body.func)) if body is not None else from_ast(target)


def bind_lambda(table: dict[str, Expr], function: ast.AST, assign: ast.Assign) -> None:
    """``run = lambda: work(a)`` in ``function``, ``run`` named only as threads' target: ``table[run] = work``."""
    body = lambda_target(function, assign)
    if body is not None:
        table[assign.targets[0].id] = from_ast(body.func)


def lambda_target(function: ast.AST, assign: ast.Assign) -> ast.Call | None:
    """The call of ``name = lambda: work(a)`` when ``name`` is bound nowhere else in ``function`` and named only as
    the ``target`` of ``Thread(...)`` calls (so calling it is left to the threads), else None."""
    body = lambda_body(assign.value)
    if body is None or len(assign.targets) != 1 or not isinstance(assign.targets[0], ast.Name):
        return None
    name = assign.targets[0].id
    targets = {
        id(k.value)
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and _is_thread(node)
        for k in node.keywords
        if k.arg == "target"
    }
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id == name and node is not assign.targets[0]:
            if not isinstance(node.ctx, ast.Load) or id(node) not in targets:
                return None
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
            if any(a is not None and a.arg == name for a in every):
                return None  # the name rebound as a parameter below: not followed
    return body


def waited_submit(node: ast.Call) -> ast.Call | None:
    """``pool.submit(f, a).result()`` (or ``.result(timeout)``): the ``submit`` call, whose future is waited on at
    once, so the caller waits for ``f(a)`` as if it called it: where ``f`` becomes a coroutine function, ``await
    f(a)`` (``thread_rewrites.method_call``). None for anything else (a future kept, ``map``, ``f`` not a name)."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "result" and isinstance(func.value, ast.Call)):
        return None
    submit = func.value
    if not (isinstance(submit.func, ast.Attribute) and submit.func.attr == "submit" and submit.args):
        return None
    if isinstance(submit.args[0], ast.Starred) or not isinstance(submit.args[0], ast.Name | ast.Attribute):
        return None
    return submit if len(node.args) + len(node.keywords) <= 1 else None


def wait_for_submit(reader: Any, node: ast.Call) -> None:
    """The facts' reader at ``pool.submit(f, a).result()`` in a function: a call of ``f`` there, and ``f`` not a
    callback of the ``submit`` (``is_waited``), so ``f`` may become a coroutine function and its caller with it."""
    submit = waited_submit(node)
    if submit is not None and reader.functions:
        submit.asyncshift_waited = True
        reader.called.add(id(submit.args[0]))
        reader.functions[-1].calls.append(from_ast(submit.args[0]))


def is_waited(node: ast.Call) -> bool:
    """Whether ``node`` is the ``submit`` of a ``pool.submit(f, a).result()`` (``wait_for_submit``)."""
    return getattr(node, "asyncshift_waited", False)
