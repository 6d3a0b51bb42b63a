"""The helper module a converted package needs: its text, where it goes, and how modules import it.

The runner writes converted files; the helper, ``_flask_compat.py``, is written beside them by
``write_helper`` (and by the runner when it supports companion files).
"""

from __future__ import annotations

from pathlib import Path

from codemods.base import Notes
from codemods.flask_to_fastapi.imports import HELPER_MODULE
from codemods.flask_to_fastapi.names import FlaskNames

TEMPLATE = Path(__file__).with_name("template") / f"{HELPER_MODULE}.py"


def helper_source() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def helper_is_relative(notes: Notes, names: FlaskNames) -> bool:
    """Inside a package (an ``__init__.py`` beside the file) the import is relative; a lone script imports it absolutely."""
    path = getattr(notes, "path", None)
    if path is not None:
        return (Path(path).parent / "__init__.py").exists()
    return names.uses_relative_imports


def request_helper(notes: Notes) -> None:
    """Ask the runner for the helper beside this file, when the runner supports companion files."""
    files = getattr(notes, "files", None)
    if isinstance(files, dict):
        files[f"{HELPER_MODULE}.py"] = helper_source()


def write_helper(folder: Path) -> Path:
    """Write (or refresh) the helper module into a converted folder."""
    target = Path(folder) / f"{HELPER_MODULE}.py"
    text = helper_source()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target
