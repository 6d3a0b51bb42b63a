"""Functions handed to an object of a sync library (``api.permission_manager(permission_manager)``): held sync.

A REST library's ``Api`` keeps the function it is handed and calls it from its own sync wrapper around every view
(``return self.check_permissions(view, view_args, view_kwargs, ...)``). Made a coroutine function (it queries), the
library got its coroutine for the view's answer, never awaited: Flask answered 500. So a function of the run handed
as an argument to a sync method of an object built from a library's class (``Api(app)``, read from the library's
source by ``library_sources``) stays sync, its awaits run to their end there (``python_calls``), when the library's
package never mentions coroutines (no ``async def``, ``await``, ``iscoroutine``, ``ensure_sync``, ``asyncio``: it
cannot await what it is handed). Libraries with rules of their own (``library_overrides.foreign``) are left to them.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from codemods.sqlalchemy_to_async import library_overrides, library_sources
from codemods.sqlalchemy_to_async.exprs import from_ast

COROUTINE_WORDS = ("async def", "await ", "iscoroutine", "ensure_sync", "asyncio", "isawaitable")
MOST_FILES = 600  # a package bigger than this is not read through: not known to be sync


def held(project: Any, func: Any) -> str | None:
    """Why a sync library calls ``func`` without awaiting it (it was handed to one of its objects), if it does."""
    return None if func.is_async else _handed(project).get(func.id)


def _handed(project: Any) -> dict[str, str]:
    """Function id -> why, for every function of the run handed to a sync method of a sync library's object."""
    found = project.__dict__.get("_library_registrars")
    if found is None:
        found = project.__dict__["_library_registrars"] = {}
        for module in list(project.modules):
            tree = project.tree_of(module)
            if tree is not None:
                _walk(project, module, tree.body, None, found)
    return found


def _walk(project: Any, module: str, body: list[ast.stmt], scope: str | None, found: dict[str, str]) -> None:
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = f"{scope}.{statement.name}" if scope else statement.name
            _walk(project, module, statement.body, inner, found)
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                _registration(project, module, scope, node, found)


def _registration(project: Any, module: str, scope: str | None, call: ast.Call, found: dict[str, str]) -> None:
    handed = [a for a in call.args if isinstance(a, (ast.Name, ast.Attribute))]
    handed += [k.value for k in call.keywords if isinstance(k.value, (ast.Name, ast.Attribute))]
    if not handed:
        return
    function = scope if project.function(module, scope) else None
    dotted = _library_class(project, module, function, call.func.value)
    if dotted is None or not library_overrides.foreign(dotted) or not _sync_package(project, dotted):
        return
    methods = library_sources.methods(project, dotted)
    if not methods or methods.get(call.func.attr) is not False:
        return
    for value in handed:
        kind = project.types.type_of(module, function, from_ast(value))
        if kind and kind.startswith("func:") and kind[5:] not in found:
            name = kind.rpartition(":")[2].rpartition(".")[2]
            found[kind[5:]] = f"'{name}' is handed to {dotted}.{call.func.attr}(...), {library_overrides.WHY}"


def _library_class(project: Any, module: str, function: str | None, node: ast.expr, depth: int = 0) -> str | None:
    """The library class whose instance ``node`` is: ``Api(app)``, or a name bound to one here, in the module, or in
    the module of the run it is imported from."""
    if isinstance(node, ast.Call):
        kind = project.types.type_of(module, function, from_ast(node.func))
        return kind[4:] if kind and kind.startswith("ref:") else None
    if not isinstance(node, ast.Name) or depth > 4:
        return None
    func = project.function(module, function)
    facts = project.modules.get(module)
    bindings = func.locals.get(node.id) if func is not None and node.id in func.locals else None
    if bindings is None and facts is not None:
        bindings = facts.variables.get(node.id)
        function = None
    if bindings is None and facts is not None and isinstance(facts.bindings.get(node.id), str):
        where, _, name = facts.bindings[node.id].rpartition(".")
        source = project.resolve(where) if where else None
        return _library_class(project, source, None, ast.Name(name), depth + 1) if source else None
    calls = {value[1] for kind, value in bindings or () if kind == "value" and value and value[0] == "call"}
    kinds = {project.types.type_of(module, function, callee) for callee in calls}
    kind = kinds.pop() if len(kinds) == 1 and len(calls) == len(bindings or ()) else None
    return kind[4:] if kind and kind.startswith("ref:") else None


def _sync_package(project: Any, dotted: str) -> bool:
    """The library's top-level package (or module) never mentions coroutines: it cannot await what it is handed."""
    top = dotted.partition(".")[0]
    cache = project.__dict__.setdefault("_sync_packages", {})
    if top not in cache:
        cache[top] = False
        for root in library_sources.search_paths():
            folder = root / top
            files = sorted(folder.rglob("*.py"))[: MOST_FILES + 1] if folder.is_dir() else [folder.with_suffix(".py")]
            if not files[0:1] or not files[0].is_file():
                continue
            cache[top] = len(files) <= MOST_FILES and not any(_mentions(path) for path in files)
            break
    return cache[top]


def _mentions(path: Path) -> bool:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return True
    return any(word in text for word in COROUTINE_WORDS)
