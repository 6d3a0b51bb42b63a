"""The helper package a converted project needs: its files, where they go, and how each module imports it.

In a run, the helpers (``_flask_compat/``, ``_flask_sqlalchemy.py``, ``_flask_wtf.py``) are written once,
at the top of what was converted, so every module shares one request context; each module imports
them relatively inside that package, absolutely from outside. Without a run (one file), beside it.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from codemods.base import Notes
from codemods.flask_to_fastapi import passing
from codemods.flask_to_fastapi.imports import HELPER_MODULE
from codemods.flask_to_fastapi.names import FlaskNames

TEMPLATE = Path(__file__).with_name("template") / HELPER_MODULE


@dataclass(frozen=True)
class Place:
    """Where one module finds the helpers: ``folder`` (relative to its own folder) and the import ``prefix``.

    ``prefix`` goes before the helper's name: ``"."``/``".."`` relative, ``""`` or ``"pkg."`` absolute;
    None when unknown (the import tries the package, then the top level).
    """

    folder: str = ""
    prefix: str | None = ""


def helper_files(folder: str = "") -> dict[str, str]:
    """The helper package's files, by path relative to the converted module (``_flask_compat/app.py``...)."""
    return {
        posixpath.join(folder, HELPER_MODULE, path.name): path.read_text(encoding="utf-8")
        for path in sorted(TEMPLATE.glob("*.py"))
    }


def place(notes: Notes, names: FlaskNames, module: cst.Module) -> Place:
    """The run's one helper place when the first pass found it, else beside the module."""
    root = getattr(getattr(notes, "project", None), "helper_root", None)
    if root is None or notes.path is None:
        relative = helper_is_relative(notes, names, module)
        return Place("", None if relative is None else "." if relative else "")
    folder = posixpath.relpath(root or ".", posixpath.dirname(notes.path) or ".")
    folder = "" if folder == "." else folder
    package = notes.project.helper_package
    if not package:
        return Place(folder, "")
    name = passing.module_name(notes.path, notes.source).split(".")
    own = name if passing.is_package(notes.path, notes.source) else name[:-1]
    top = package.split(".")
    if own[: len(top)] == top:
        return Place(folder, "." * (1 + len(own) - len(top)))
    return Place(folder, f"{package}.")


def helper_is_relative(notes: Notes, names: FlaskNames, module: cst.Module) -> bool | None:
    """Relative inside a package, absolute in a lone script; None when the file's place is unknown.

    Without the file's path: relative imports mean a package; a module-level ``app = Flask(...)``
    with none means a single-module app.
    """
    script_app = any(
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Assign)
        and isinstance(statement.body[0].value, cst.Call)
        and names.resolve(statement.body[0].value.func) == "flask.Flask"
        for statement in module.body
    )
    if notes.source is not None:
        in_package = (Path(notes.source).parent / "__init__.py").exists()
        if in_package and script_app and not names.uses_relative_imports:
            return None  # a module-level app in a package folder is often imported as a top-level module too
        return in_package
    if names.uses_relative_imports:
        return True
    return False if script_app else None


def request_helper(notes: Notes, folder: str = "") -> None:
    """Ask the runner for the helper package in ``folder`` (relative to this file's)."""
    notes.files.update(helper_files(folder))


def write_helper(folder: Path) -> Path:
    """Write (or refresh) the helper package into a converted folder; an older single-file helper goes."""
    package = Path(folder) / HELPER_MODULE
    package.mkdir(exist_ok=True)
    for relative, text in helper_files().items():
        target = Path(folder) / relative
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    (Path(folder) / f"{HELPER_MODULE}.py").unlink(missing_ok=True)  # the package takes its place
    return package


def write_helpers(paths: list[Path]) -> list[Path]:
    """Write the helper package beside every converted module that imports it (after ``asyncshift codemod run``)."""
    folders = set()
    for root in paths:
        files = [Path(root)] if Path(root).is_file() else Path(root).rglob("*.py")
        for file in files:
            if HELPER_MODULE not in (file.stem, file.parent.name) and f"{HELPER_MODULE} import" in file.read_text(
                encoding="utf-8", errors="replace"
            ):
                folders.add(file.parent)
    return [write_helper(folder) for folder in sorted(folders)]
