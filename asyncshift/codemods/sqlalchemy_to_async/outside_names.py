"""A name of the run imported through a module outside the run that re-exports it.

``from tests.setup_database import set_settings`` in a conftest of the run, where ``tests/setup_database.py`` (a
test helper beside the tests, not in the paths given) only does ``from app.settings import set_settings``: the
name read as a library's, its call was neither awaited nor marked though ``set_settings`` became a coroutine
function (a coroutine never awaited, the fixture's rows never written). That module's source, found beside the
run's modules on disk (never imported), says where the name comes from: its imports at module level, followed
while they lead to a module outside the run, kept only when they end in the run.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from codemods.sqlalchemy_to_async.library_sources import absolute_module

DEPTH = 8  # re-exports followed, at most


def kind(types: Any, dotted: str, depth: int) -> str:
    """The type of ``dotted``, imported from outside the run: the run's (``func:app.settings:set_settings``) when a
    module outside the run re-exports a name of the run so, else ``ref:dotted``."""
    again = reexported(types.project, dotted) if depth <= DEPTH else None
    found = types.dotted(again, depth + 1) if again is not None else None
    return found if found is not None and not found.startswith("ref:") else f"ref:{dotted}"


def reexported(project: Any, dotted: str) -> str | None:
    """What the module outside the run of ``dotted`` binds its last name to (a dotted import), or None."""
    module, _, name = dotted.rpartition(".")
    if not module or project.resolve(module) is not None:
        return None
    cache = project.__dict__.setdefault("_outside_names", {})
    if module not in cache:
        cache[module] = _imports(project, module)
    return cache[module].get(name)


def _roots(project: Any) -> set[Path]:
    """The folders the run's modules are imported from (``app.settings`` at ``<root>/app/settings/__init__.py``)."""
    roots = set()
    for path, name in project.by_source.items():
        parts, file = name.split("."), Path(path)
        tail = parts if file.name == "__init__.py" else parts[:-1]
        folder = file.parent
        if name == "__main__" or (file.name != "__init__.py" and file.stem != parts[-1]):
            continue
        if tail and list(folder.parts[-len(tail) :]) != tail:
            continue
        roots.add(folder.parents[len(tail) - 1] if tail else folder)
    return roots


def _imports(project: Any, module: str) -> dict[str, str]:
    for root in sorted(_roots(project)):
        folder = root.joinpath(*module.split("."))
        for path, package in ((folder / "__init__.py", True), (folder.with_suffix(".py"), False)):
            if path.is_file() and str(path.resolve()) not in project.by_source:
                try:
                    tree = ast.parse(path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
                    return {}
                return _bound(tree, module, package)
    return {}


def _bound(tree: ast.Module, module: str, package: bool) -> dict[str, str]:
    """Module-level name -> the dotted name it imports; a name defined or assigned again afterwards is the module's."""
    names: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom):
            base = absolute_module(module, package, statement)
            for alias in statement.names:
                if base is not None and alias.name != "*":
                    names[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname:
                    names[alias.asname] = alias.name
        else:
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.pop(node.id, None)
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.pop(statement.name, None)
    return names
