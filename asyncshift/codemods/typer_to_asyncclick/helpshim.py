"""Typer-style help for converted modules: one helper module written beside them, one import in each.

The helper (``template/typer_help.py``, written once per folder as ``_asyncclick_help.py``) holds the
classes that make a converted program print the help its Typer version printed, on asyncclick alone; its
TYPER/CLICK/CLICK_EXACT lines carry the versions the program pins (pins.py), since the help of Typer < 0.26
also depends on the Click installed beside it.
Pasting them into every converted file made each file ~400 lines longer and the run slower.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import libcst as cst

from codemods.typer_to_asyncclick import pins

TEMPLATE = Path(__file__).with_name("template") / "typer_help.py"
HELPER = "_asyncclick_help.py"  # beside the converted files; its classes are imported, never pasted
# Typer's rich help, written once beside the converted files (the helper loads it if rich is installed)
RICH_HELPER = "_asyncclick_rich.py"
CLASSES = (
    "TyperArgument",
    "TyperCommand",
    "TyperOption",
    "TyperGroup",
    "TyperCompletion",
    "TyperCallback",
    "TyperCliRunner",
    "TyperParam",
    "typer_prompt",
)
_MODULE = HELPER.removesuffix(".py")
_IMPORT = re.compile(
    rf"\n?try:  # Typer-style help[^\n]*\n    from \.{_MODULE} import [^\n]*\n"
    rf"except ImportError:[^\n]*\n    from {_MODULE} import [^\n]*\n"
)


def needed(used_names: set[str]) -> list[str]:
    """The helper's classes a module uses, in a fixed order."""
    return [name for name in CLASSES if name in used_names]


@functools.cache
def helper(versions: pins.Versions | None = None) -> str:
    """The helper's text, printing the help of the Typer and Click ``versions`` the program pins (see pins.py)."""
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in zip(("TYPER", "CLICK", "CLICK_EXACT"), versions or pins.Versions(), strict=True):
        text = text.replace(
            f"\n{name} = {pins.Versions._field_defaults[name.lower()]!r}\n", f"\n{name} = {value!r}\n", 1
        )
    return text


@functools.cache
def rich_helper() -> str:
    return TEMPLATE.with_name(RICH_HELPER).read_text(encoding="utf-8")


def import_text(names: list[str]) -> str:
    """The import of ``names`` from the helper, inside a package and as a script alike."""
    listed = ", ".join(names)
    return (
        f"try:  # Typer-style help and errors, from {HELPER} beside this file (written by asyncshift)\n"
        f"    from .{_MODULE} import {listed}\n"
        "except ImportError:  # run as a script, or as a top-level module\n"
        f"    from {_MODULE} import {listed}\n"
    )


@functools.cache
def _import_statement(names: tuple[str, ...]) -> cst.BaseStatement:
    return cst.parse_statement(import_text(list(names)))


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom))
        or (isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)))
        for small in statement.body
    )


def add(module: cst.Module, names: list[str]) -> cst.Module:
    """Import ``names`` (see ``needed``) from the helper, after the module's leading imports."""
    if not names:
        return module
    statement = _import_statement(tuple(names))
    body = list(module.body)
    if any(s.with_changes(leading_lines=[]).deep_equals(statement) for s in body if isinstance(s, cst.Try)):
        return module  # a second run
    at = 0
    while at < len(body) and _is_import_line(body[at]):
        at += 1
    if at < len(body):
        following = body[at]
        kept = [line for line in following.leading_lines if line.comment is not None]
        body[at] = following.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine(), *kept])
    statement = statement.with_changes(leading_lines=[cst.EmptyLine()] if at else [])
    return module.with_changes(body=[*body[:at], statement, *body[at:]])


def strip(code: str) -> str:
    """The module without the helper's import (for tests of the other transforms)."""
    return _IMPORT.sub("", code, count=1)
