"""The project's own Python files, parsed (never imported), with each module's import names.

Detection must work on a project whose dependencies are not installed and must never run its
code, so every file is read with ``ast``; ``Module.qual`` turns ``Flask``/``flask.Flask``/``fl.Flask``
into ``flask.Flask`` through the module's imports, which is what the detectors match on.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Folders that are not the application's code: tools, environments, tests, migrations, docs.
SKIP_DIRS = frozenset(
    {
        "node_modules",
        "site-packages",
        "__pycache__",
        "build",
        "dist",
        "venv",
        "env",
        "tests",
        "test",
        "testing",
        "migrations",
        "alembic",
        "docs",
        "examples",
    }
)


@dataclass
class Module:
    """One parsed file: its dotted ``name``, ``path`` relative to the project, tree and imports."""

    name: str
    path: str
    tree: ast.Module
    imports: dict[str, str] = field(default_factory=dict)  # local name -> dotted name it stands for

    def qual(self, node: ast.AST) -> str | None:
        """``fl.Flask`` -> ``flask.Flask`` when ``import flask as fl``; None for other expressions."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        head = self.imports.get(node.id, f"{self.name}.{node.id}")
        return ".".join([head, *reversed(parts)])

    def at(self, node: ast.AST) -> str:
        return f"{self.path}:{getattr(node, 'lineno', 1)}"

    @property
    def package(self) -> str:
        return self.name if self.path.endswith("__init__.py") else self.name.rpartition(".")[0]

    @property
    def top(self) -> str:
        return self.name.split(".")[0]


def source_root(root: Path) -> Path:
    """Where the packages live: setuptools' ``packages.find where``, else ``src/`` if there is one,
    else the project folder itself."""
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            data = {}
        where = data.get("tool", {}).get("setuptools", {}).get("packages", {})
        where = where.get("find", {}).get("where") if isinstance(where, dict) else None
        if isinstance(where, list) and len(where) == 1 and (root / where[0]).is_dir():
            return (root / where[0]).resolve()
    src = root / "src"
    if src.is_dir() and any(src.rglob("*.py")):
        return src.resolve()
    return root.resolve()


def python_files(source: Path) -> Iterator[Path]:
    """Every ``.py`` under ``source``, sorted, leaving out hidden folders and the ``SKIP_DIRS``."""
    for path in sorted(source.rglob("*.py")):
        relative = path.relative_to(source).parts[:-1]
        if any(p in SKIP_DIRS or p.startswith(".") or p.endswith(".egg-info") for p in relative):
            continue
        if path.name.startswith("test_") or path.name == "conftest.py":
            continue
        yield path


def module_name(source: Path, path: Path) -> str:
    parts = list(path.relative_to(source).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _imports(tree: ast.Module, name: str, package: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    found[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    found[head] = head
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".") if package else []
                anchor = anchor[: len(anchor) - (node.level - 1)] if node.level > 1 else anchor
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                if alias.name != "*":
                    found[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
    return found


def parse_modules(root: Path, source: Path) -> tuple[list[Module], list[str]]:
    """The parsed modules under ``source`` and, for files that do not parse, ``path:line: message``."""
    modules, skipped = [], []
    for path in python_files(source):
        shown = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        try:
            tree = ast.parse(path.read_bytes(), filename=shown)
        except (SyntaxError, ValueError) as exc:
            skipped.append(f"{shown}:{getattr(exc, 'lineno', 0) or 0}: {getattr(exc, 'msg', exc)}")
            continue
        name = module_name(source, path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        modules.append(Module(name, shown, tree, _imports(tree, name, package)))
    return modules, skipped


def string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def argument(call: ast.Call, position: int, name: str) -> ast.AST | None:
    """A call's argument given by position or by keyword."""
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return keyword(call, name)
