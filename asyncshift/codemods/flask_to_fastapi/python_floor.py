"""The oldest Python a converted project may run on, and annotations written so that it can import them.

FastAPI evaluates every parameter annotation at import, so ``str | None`` raises on Python < 3.10 and
``typing.Annotated`` / ``list[str]`` on 3.8. The project says its floor in ``requires-python``,
``python_requires``, a Pipfile, ``runtime.txt``, ``.python-version`` or its venv's ``pyvenv.cfg``; a project
that says nothing may be old, so ``Optional[...]`` is written unless 3.10+ is certain.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import libcst as cst

from codemods.flask_to_fastapi.names import dotted
from codemods.nearest import nearest

# file -> what names the Python version in it
_SOURCES = {
    "pyproject.toml": r"""(?:requires-python|^python)\s*=\s*["']([^"']+)["']""",
    "setup.cfg": r"python_requires\s*=\s*([^\n]+)",
    "setup.py": r"""python_requires\s*=\s*["']([^"']+)["']""",
    "Pipfile": r"""python_(?:full_)?version\s*=\s*["']([^"']+)["']""",
    "runtime.txt": r"python-([\d.]+)",
    ".python-version": r"^\s*([\d.]+)",
    ".venv/pyvenv.cfg": r"^version(?:_info)?\s*=\s*([\d.]+)",
    "venv/pyvenv.cfg": r"^version(?:_info)?\s*=\s*([\d.]+)",
}


def floor(source: str | None) -> tuple[int, int] | None:
    """The oldest ``(major, minor)`` the project around the file at ``source`` names; None when it names none."""
    if not source:
        return None
    return _floor(str(Path(source).resolve().parent))


@functools.cache
def _floor(folder: str) -> tuple[int, int] | None:
    return nearest(folder, _floor_in)


def _floor_in(directory: Path) -> tuple[int, int] | None:
    found = []
    for name, pattern in _SOURCES.items():
        path = directory / name
        if path.is_file():
            for spec in re.findall(pattern, path.read_text(errors="replace"), re.MULTILINE):
                found += _versions(spec)
    return min(found) if found else None


def _versions(spec: str) -> list[tuple[int, int]]:
    """``">=3.8,<4"`` -> ``[(3, 8)]``: the versions a specifier allows at its low end (upper bounds ignored)."""
    found = []
    for op, version in re.findall(r"(<=|<|!=|>=|>|~=|==|\^|~)?\s*(3\.\d+)", spec):
        if op not in ("<", "<=", "!="):
            major, minor = version.split(".")[:2]
            found.append((int(major), int(minor)))
    return found


def adapt(module: cst.Module, oldest: tuple[int, int] | None) -> tuple[cst.Module, set[str]]:
    """Parameter annotations importable on ``oldest`` (unknown: may be < 3.10), and the typing names they use."""
    if oldest is not None and oldest >= (3, 10):
        return module, set()
    adapted = module.visit(_Annotations(oldest is not None and oldest < (3, 9)))
    return adapted, {name for name, used in (("Optional", "Optional["), ("List", "List[")) if used in adapted.code}


def typing_extensions_for_old(module: cst.Module, oldest: tuple[int, int] | None) -> cst.Module:
    """On Python 3.8 ``Annotated`` comes from typing_extensions (``typing`` has it since 3.9)."""
    if oldest is None or oldest >= (3, 9) or "Annotated" not in module.code:
        return module
    return module.visit(_AnnotatedFromTypingExtensions())


class _Annotations(cst.CSTTransformer):
    """``X | None`` -> ``Optional[X]`` (and ``list[X]`` -> ``List[X]`` on 3.8) inside parameter annotations."""

    def __init__(self, legacy: bool):
        self.legacy, self.depth = legacy, 0

    def visit_Param(self, node: cst.Param) -> None:
        self.depth += 1

    def leave_Param(self, original: cst.Param, updated: cst.Param) -> cst.Param:
        self.depth -= 1
        return updated

    def leave_BinaryOperation(self, original, updated):
        if not self.depth or not isinstance(updated.operator, cst.BitOr):
            return updated
        if isinstance(updated.right, cst.Name) and updated.right.value == "None":
            return _subscript("Optional", updated.left)
        if isinstance(updated.left, cst.Name) and updated.left.value == "None":
            return _subscript("Optional", updated.right)
        return updated

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript):
        if self.depth and self.legacy and isinstance(updated.value, cst.Name) and updated.value.value == "list":
            return updated.with_changes(value=cst.Name("List"))
        return updated


def _subscript(name: str, inner: cst.BaseExpression) -> cst.Subscript:
    return cst.Subscript(cst.Name(name), [cst.SubscriptElement(cst.Index(inner))])


class _AnnotatedFromTypingExtensions(cst.CSTTransformer):
    """``from typing import Annotated`` -> ``from typing_extensions import Annotated`` (3.9 added it)."""

    def leave_SimpleStatementLine(self, original, updated):
        small = updated.body[0]
        if not (isinstance(small, cst.ImportFrom) and small.module and dotted(small.module) == "typing"):
            return updated
        if isinstance(small.names, cst.ImportStar):
            return updated
        annotated = [a for a in small.names if dotted(a.name) == "Annotated"]
        if not annotated:
            return updated
        rest = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in small.names if a not in annotated]
        extension = cst.parse_statement("from typing_extensions import Annotated\n")
        if not rest:
            return extension.with_changes(leading_lines=updated.leading_lines)
        return cst.FlattenSentinel([updated.with_changes(body=[small.with_changes(names=rest)]), extension])
