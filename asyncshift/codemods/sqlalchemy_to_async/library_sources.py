"""The methods an installed library's class has, read from the library's source (never imported).

``flask_rest_jsonapi.ResourceList`` -> ``{"get": False, "before_get": False, ...}`` (name -> ``async def``), the
class's own and its bases' (nearest first), followed through the package's re-exports (``from .resource import
ResourceList`` in its ``__init__``), relative imports, ``six.with_metaclass(Meta, Base)`` and ``Base[T]``.

The library is looked for where the run's Python finds it (asyncshift installed in the application's environment,
as it is meant to be) and in the folders of ``ASYNCSHIFT_SITE_PACKAGES`` (``os.pathsep``-separated: the
application's site-packages where asyncshift runs from an environment of its own). A library found nowhere, or
compiled, answers None: nothing is known of its methods.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path
from typing import Any

SITE_VARIABLE = "ASYNCSHIFT_SITE_PACKAGES"
METACLASS_HELPERS = {"with_metaclass"}  # six's and future's ``with_metaclass(Meta, *bases)``
DEPTH = 12  # re-exports and bases followed, at most


def methods(project: Any, dotted: str) -> dict[str, bool] | None:
    """The methods of the library class ``dotted`` (as the run imports it) and of its bases, or None."""
    cache = project.__dict__.setdefault("_library_sources", {})
    if dotted not in cache:
        reader = _Reader(cache.setdefault("", {}))
        module, _, name = dotted.rpartition(".")
        found = reader.find_class(module, name, DEPTH) if module else None
        cache[dotted] = reader.lineage(found) if found else None
    return cache[dotted]


def search_paths() -> list[Path]:
    extra = [p for p in os.environ.get(SITE_VARIABLE, "").split(os.pathsep) if p]
    return [Path(p) for p in [*extra, *sys.path] if p and Path(p).is_dir()]


class _Reader:
    def __init__(self, trees: dict[str, Any]) -> None:
        self.trees = trees  # module name -> (its parsed tree, whether it is a package) or None, for the whole run

    def tree(self, module: str) -> tuple[ast.Module, bool] | None:
        if module not in self.trees:
            self.trees[module] = None
            parts = module.split(".")
            for root in search_paths():
                folder = root.joinpath(*parts)
                for path, package in ((folder / "__init__.py", True), (folder.with_suffix(".py"), False)):
                    if path.is_file():
                        try:
                            self.trees[module] = (ast.parse(path.read_text(errors="replace")), package)
                        except (SyntaxError, ValueError, OSError):
                            pass
                        return self.trees[module]
        return self.trees[module]

    def find_class(self, module: str, name: str, depth: int) -> tuple[str, ast.ClassDef] | None:
        """The class ``name`` as module ``module`` binds it: defined there, or imported into it."""
        read = self.tree(module)
        if read is None or depth <= 0:
            return None
        tree, package = read
        for statement in _top_level(tree.body):
            if isinstance(statement, ast.ClassDef) and statement.name == name:
                return module, statement
        for statement in _top_level(tree.body):
            if isinstance(statement, ast.ImportFrom):
                for alias in statement.names:
                    if (alias.asname or alias.name) == name:
                        origin = absolute_module(module, package, statement)
                        found = self.find_class(origin, alias.name, depth - 1) if origin else None
                        if found:
                            return found
        return None

    def lineage(self, start: tuple[str, ast.ClassDef]) -> dict[str, bool]:
        """Name -> ``async def`` for the class's methods and its bases', the nearest definition first."""
        found: dict[str, bool] = {}
        pending, seen = [start], set()
        while pending and len(seen) < DEPTH * 4:
            module, cls = pending.pop(0)
            if (module, cls.name, cls.lineno) in seen:
                continue
            seen.add((module, cls.name, cls.lineno))
            for statement in cls.body:
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.setdefault(statement.name, isinstance(statement, ast.AsyncFunctionDef))
                elif isinstance(statement, ast.Assign):  # ``__call__ = fulfill``: a sync alias
                    for target in statement.targets:
                        if isinstance(target, ast.Name) and isinstance(statement.value, ast.Name):
                            found.setdefault(target.id, found.get(statement.value.id, False))
            for base in _bases(cls):
                resolved = self.resolve(module, base)
                if resolved:
                    pending.append(resolved)
        return found

    def resolve(self, module: str, expr: ast.expr) -> tuple[str, ast.ClassDef] | None:
        """The class a base expression of ``module`` names: one of its own, an imported one, ``pkg.mod.Cls``."""
        read = self.tree(module)
        if read is None:
            return None
        tree, package = read
        if isinstance(expr, ast.Name):
            return self.find_class(module, expr.id, DEPTH)
        parts = []
        while isinstance(expr, ast.Attribute):
            parts.insert(0, expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name) or not parts:
            return None
        head = expr.id
        for statement in _top_level(tree.body):
            if isinstance(statement, ast.Import):
                for alias in statement.names:
                    if alias.asname == head:
                        head = alias.name
                        break
            elif isinstance(statement, ast.ImportFrom):
                for alias in statement.names:
                    if (alias.asname or alias.name) == head:
                        origin = absolute_module(module, package, statement)
                        head = f"{origin}.{alias.name}" if origin else head
        dotted = [*head.split("."), *parts]
        return self.find_class(".".join(dotted[:-1]), dotted[-1], DEPTH)


def _bases(cls: ast.ClassDef) -> list[ast.expr]:
    found = []
    for base in cls.bases:
        if isinstance(base, ast.Subscript):
            base = base.value  # ``Generic[T]``, ``Base[Model]``
        if isinstance(base, ast.Call):
            helper = base.func.attr if isinstance(base.func, ast.Attribute) else getattr(base.func, "id", "")
            found.extend(base.args[1:] if helper in METACLASS_HELPERS else [])
        else:
            found.append(base)
    return found


def _top_level(body: list[ast.stmt]):
    """The module's statements, with those of its ``if``/``try`` blocks (``try: from a import X``)."""
    for statement in body:
        yield statement
        if isinstance(statement, ast.If):
            yield from _top_level(statement.body)
            yield from _top_level(statement.orelse)
        elif isinstance(statement, ast.Try):
            yield from _top_level(statement.body)
            for handler in statement.handlers:
                yield from _top_level(handler.body)
            yield from _top_level(statement.orelse)


def absolute_module(module: str, package: bool, statement: ast.ImportFrom) -> str | None:
    """The module a ``from X import ...`` of ``module`` reads from (relative imports made absolute)."""
    if not statement.level:
        return statement.module
    parts = module.split(".")
    parts = parts if package else parts[:-1]
    if statement.level > 1:
        parts = parts[: len(parts) - (statement.level - 1)]
    if not parts:
        return None
    return ".".join([*parts, statement.module] if statement.module else parts)
