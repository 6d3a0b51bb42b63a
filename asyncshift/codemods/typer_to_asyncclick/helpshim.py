"""Typer-style help for converted modules: one helper module written beside them, one import in each.

The helper (``template/typer_help.py``, written once per folder as ``_asyncclick_help.py``) holds the
classes that make a converted program print the help its Typer version printed, on asyncclick alone; its
TYPER/CLICK/CLICK_EXACT lines carry the versions the program pins (pins.py), since the help of Typer < 0.26
also depends on the Click installed beside it.
Pasting them into every converted file made each file ~400 lines longer and the run slower.

Typer's rich help (``template/_asyncclick_rich.py``, which imports rich) goes into the same module, as the body of
its ``_rich_module()``, run the first time rich help is printed: a module of its own beside the converted files
was a second extra module in their package, and the only one the package never imported, so a test comparing
the package's files with its modules (``dir(pkg)``, a star import's names) saw it.
"""

from __future__ import annotations

import functools
import re
import textwrap
from pathlib import Path

import libcst as cst

from codemods.typer_to_asyncclick import pins

TEMPLATE = Path(__file__).with_name("template") / "typer_help.py"
HELPER = "_asyncclick_help.py"  # beside the converted files; its classes are imported, never pasted
RICH = TEMPLATE.with_name("_asyncclick_rich.py")  # Typer's rich help: the body of the helper's ``_rich_module``
_RICH_STUB = re.compile(r"\ndef _rich_module\(\):\n    \"\"\".*?\"\"\"\n    return None\n", re.DOTALL)
RICH_API = ("format_help", "show_error", "show_abort")  # what the helper calls on the renderer
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
    text, count = _RICH_STUB.subn(lambda _: rich_function(), text, count=1)
    assert count == 1, "template/typer_help.py lost its _rich_module stub"
    return text


@functools.cache
def rich_function() -> str:
    """``def _rich_module():`` running the rich template (its docstring the function's) and giving what the
    helper calls: the template's code, indented, its imports made when it runs (rich may not be installed)."""
    docstring, _, body = RICH.read_text(encoding="utf-8").partition('\n"""\n')
    body = textwrap.indent(body.strip("\n"), "    ", lambda line: bool(line.strip()))
    made = ", ".join(f"{name}={name}" for name in RICH_API)
    return (
        f'\ndef _rich_module():\n{textwrap.indent(docstring, "    ")}\n    """\n'
        f"    from types import SimpleNamespace\n\n{body}\n\n    return SimpleNamespace({made})\n"
    )


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
