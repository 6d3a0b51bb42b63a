"""The helper package a converted package needs: its files, where they go, and how modules import it.

The runner writes converted files and, beside them, the helper package ``_flask_compat/`` (one module
per idea) that a converted file asks for in ``Notes.files``; ``write_helpers`` does the same for older conversions.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from codemods.base import Notes
from codemods.flask_to_fastapi.imports import HELPER_MODULE
from codemods.flask_to_fastapi.names import FlaskNames

TEMPLATE = Path(__file__).with_name("template") / HELPER_MODULE


def helper_files() -> dict[str, str]:
    """The helper package's files, by path relative to the converted folder (``_flask_compat/app.py``...)."""
    return {f"{HELPER_MODULE}/{path.name}": path.read_text(encoding="utf-8") for path in sorted(TEMPLATE.glob("*.py"))}


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


def request_helper(notes: Notes) -> None:
    """Ask the runner for the helper package beside this file."""
    notes.files.update(helper_files())


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
