"""SQL handed as a plain string: ``session.execute("select count(*) from project")`` -> ``execute(text(...))``.

SQLAlchemy 1.3 (and 1.4's legacy engines) took a string as textual SQL. ``AsyncSession``, an ``AsyncConnection``
and the sync connection a mapper event hands its listeners under an async engine (a "future" one) do not:
``ObjectNotExecutableError: Not an executable object``. So the first argument of ``execute``/``scalar``/
``scalars``/``stream`` on a session or connection of the run, or on the connection parameter of a mapper event
listener (``@event.listens_for(User, "before_insert") def f(mapper, conn, target)``) or the parameter of a function
every call of the run hands such a connection (the listener's ``touch_parent(mapper, conn, target)``), is wrapped
in ``text()`` when it is a string: a literal, an f-string, ``"..." % x``, ``"...".format(x)``, or a local only ever
given such values. Anything else (``text()`` already, a ``select()``, a parameter) is left alone.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import handed_params

METHODS = {"execute", "scalar", "scalars", "stream", "stream_scalars"}
RECEIVERS = {"sqla:session", "sqla:scoped", "sqla:connection", "sqla:async_session", "sqla:async_connection"}
CALLEES = ("sqlmethod:session:", "sqlmethod:scoped:", "sqlmethod:connection:")
MAPPER_EVENTS = {"before_insert", "after_insert", "before_update", "after_update", "before_delete", "after_delete"}


def wrapped(conv: Any, original: cst.Call, updated: cst.Call) -> cst.Call:
    """``updated`` with its SQL string wrapped in ``text()`` when the rule applies."""
    func = original.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in METHODS and updated.args):
        return updated
    first = updated.args[0]
    if first.keyword is not None or first.star or not _stringy(conv, first.value):
        return updated
    if not _executes_sql(conv, func):
        return updated
    text = cst.Call(cst.Name(conv.use("sqlalchemy", "text")), args=[cst.Arg(first.value)])
    return updated.with_changes(args=[first.with_changes(value=text), *updated.args[1:]])


def _executes_sql(conv: Any, func: cst.Attribute) -> bool:
    callee = conv.type_of(func) or ""
    if callee.startswith(CALLEES) or conv.type_of(func.value) in RECEIVERS:
        return True
    return isinstance(func.value, cst.Name) and _listeners_connection(conv, conv.name, conv.function, func.value.value)


def _listeners_connection(conv: Any, module: str, qualname: str | None, name: str, depth: int = 0) -> bool:
    """``name`` in that function is the connection a mapper event hands its listener: the listener's own
    parameter, or a parameter every call of the run hands such a connection (a helper the listener calls)."""
    node = _function(conv) if (module, qualname) == (conv.name, conv.function) else _function_in(conv, module, qualname)
    if node is None or depth > 8:
        return False
    if _listener_connection(node) == name:
        return True
    func = conv.project.function(module, qualname)
    if func is None or func.params.get(name, True) is not None:  # an annotated parameter, or none of that name
        return False
    handed = handed_params.handed_values(conv.project.types, func, name)
    return bool(handed) and all(
        value and value[0] == "name" and _listeners_connection(conv, caller, scope, value[1], depth + 1)
        for caller, scope, value in handed
    )


def _stringy(conv: Any, value: cst.BaseExpression) -> bool:
    if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
        return not _bytes(value)
    if isinstance(value, cst.FormattedString):
        return True
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, (cst.Modulo, cst.Add)):
        return _stringy(conv, value.left)
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "format":
        return isinstance(value.func.value, (cst.SimpleString, cst.ConcatenatedString))
    if isinstance(value, cst.Name):
        node = _function(conv)
        return node is not None and _string_local(node, value.value)
    return False


def _bytes(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.ConcatenatedString):
        return _bytes(value.left)
    return isinstance(value, cst.SimpleString) and "b" in value.prefix.lower()


def _string_local(node: ast.AST, name: str) -> bool:
    """Every value the function gives ``name`` is a string (and it is no parameter, loop or ``with`` target...)."""
    if name in {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}:
        return False
    values = []
    for child in ast.walk(node):
        if isinstance(child, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in child.targets):
            values.append(child.value)
        elif isinstance(child, (ast.AugAssign, ast.AnnAssign)) and getattr(child.target, "id", None) == name:
            values.append(child.value)
        elif name in _bound_otherwise(child):
            return False
    return bool(values) and all(v is not None and _string_node(v) for v in values)


def _bound_otherwise(node: ast.AST) -> set[str]:
    """Names ``node`` binds other than by ``=``: loop, ``with`` and walrus targets, ``global``, imports."""
    if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        targets = [node.target]
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
    elif isinstance(node, ast.NamedExpr):
        targets = [node.target]
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        return set(node.names)
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).partition(".")[0] for a in node.names}
    else:
        return set()
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _string_node(value: ast.AST) -> bool:
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str)
    if isinstance(value, ast.JoinedStr):
        return True
    if isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Mod, ast.Add)):
        return _string_node(value.left)
    return (
        isinstance(value, ast.Call)
        and getattr(value.func, "attr", None) == "format"
        and (isinstance(value.func.value, ast.Constant) and isinstance(value.func.value.value, str))
    )


def _listener_connection(node: ast.AST) -> str | None:
    """The connection parameter of a mapper event listener (``@event.listens_for(Model, "before_insert")``)."""
    for decorator in getattr(node, "decorator_list", []):
        if not (isinstance(decorator, ast.Call) and len(decorator.args) >= 2):
            continue
        name = decorator.func.attr if isinstance(decorator.func, ast.Attribute) else getattr(decorator.func, "id", "")
        event = decorator.args[1]
        if name == "listens_for" and isinstance(event, ast.Constant) and event.value in MAPPER_EVENTS:
            params = [a.arg for a in node.args.posonlyargs + node.args.args]
            return params[1] if len(params) > 2 else None
    return None


def _function(conv: Any) -> ast.AST | None:
    """The ``ast`` of the function being rewritten."""
    if not conv.function:
        return None
    tree = conv.__dict__.get("_sql_tree")  # the module's, parsed once for its conversion
    if tree is None:
        tree = conv.__dict__["_sql_tree"] = ast.parse(conv.module.code)
    return _find(tree, conv.function.split("."))


def _function_in(conv: Any, module: str, qualname: str | None) -> ast.AST | None:
    """The ``ast`` of another module's function, its file parsed once per run."""
    trees = conv.project.__dict__.setdefault("_sql_trees", {})
    if module not in trees:
        source = conv.project.source_of(module)
        try:
            trees[module] = ast.parse(Path(source).read_text(encoding="utf-8")) if source else None
        except (OSError, SyntaxError, UnicodeDecodeError):
            trees[module] = None
    tree = trees[module]
    return _find(tree, qualname.split(".")) if tree is not None and qualname else None


def _find(node: ast.AST, path: list[str]) -> ast.AST | None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child.name == path[0]:
            found = child if len(path) == 1 else _find(child, path[1:])
            if found is not None and not isinstance(found, ast.ClassDef):
                return found
    return None
