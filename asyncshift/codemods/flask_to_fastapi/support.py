"""The helper module a converted package needs: its text, where it goes, and how modules import it.

The runner writes converted files and, beside them, the helper ``_flask_compat.py`` that a
converted file asks for in ``Notes.files``; ``write_helpers`` does the same for older conversions.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from codemods.base import Notes
from codemods.flask_to_fastapi.imports import HELPER_MODULE
from codemods.flask_to_fastapi.names import FlaskNames

TEMPLATE = Path(__file__).with_name("template") / f"{HELPER_MODULE}.py"


def helper_source() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


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
    """Ask the runner for the helper beside this file."""
    notes.files[f"{HELPER_MODULE}.py"] = helper_source()


def write_helper(folder: Path) -> Path:
    """Write (or refresh) the helper module into a converted folder."""
    target = Path(folder) / f"{HELPER_MODULE}.py"
    text = helper_source()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def write_helpers(paths: list[Path]) -> list[Path]:
    """Write the helper beside every converted module that imports it (after ``asyncshift codemod run``)."""
    folders = set()
    for root in paths:
        files = [Path(root)] if Path(root).is_file() else Path(root).rglob("*.py")
        for file in files:
            if file.name != f"{HELPER_MODULE}.py" and f"{HELPER_MODULE} import" in file.read_text(
                encoding="utf-8", errors="replace"
            ):
                folders.add(file.parent)
    return [write_helper(folder) for folder in sorted(folders)]
