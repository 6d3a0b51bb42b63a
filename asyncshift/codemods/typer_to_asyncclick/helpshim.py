"""Copy the Typer-style help classes (``template/typer_help.py``) into a converted module, only the sections it uses.

The converted program then prints the same ``--help`` as before and still depends on asyncclick alone.
"""

from __future__ import annotations

import functools
from pathlib import Path

import libcst as cst

TEMPLATE = Path(__file__).with_name("template") / "typer_help.py"
MARKER = "# -- section: "
HEADER = "# Typer-style --help, added by asyncshift: the converted program prints the help its Typer version printed."
CLASSES = {
    "TyperArgument": "argument",
    "TyperCommand": "command",
    "TyperOption": "command",
    "TyperGroup": "group",
    "TyperCompletion": "completion",
}
# Typer's rich help, written once beside the converted files (the shim loads it if rich is installed)
RICH_HELPER = "_asyncclick_rich.py"
ORDER = ("argument", "command", "completion", "group")


@functools.cache
def sections() -> dict[str, str]:
    text = TEMPLATE.read_text(encoding="utf-8")
    parts = text.split(MARKER)[1:]
    return {part.split("\n", 1)[0].strip(): part.split("\n", 1)[1].strip("\n") for part in parts}


def needed(used_names: set[str], completion: bool = False) -> list[str]:
    """The sections a module needs; ``completion`` when its app offers Typer's completion options."""
    wanted = {CLASSES[name] for name in used_names if name in CLASSES}
    if completion and wanted:
        wanted.add("completion")
    if wanted:
        wanted.add("command")
    return [name for name in ORDER if name in wanted]


@functools.cache
def rich_helper() -> str:
    return TEMPLATE.with_name(RICH_HELPER).read_text(encoding="utf-8")


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom))
        or (isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)))
        for small in statement.body
    )


def text(names: list[str]) -> str:
    return "\n\n\n".join(sections()[name] for name in names) + "\n"


def add(module: cst.Module, names: list[str]) -> cst.Module:
    """Insert the given sections (see ``needed``) after the module's leading imports, under ``HEADER``."""
    if not names or any(isinstance(s, cst.ClassDef) and s.name.value == "TyperCommand" for s in module.body):
        return module
    shim = list(cst.parse_module(text(names)).body)
    header = [cst.EmptyLine(), cst.EmptyLine(), cst.EmptyLine(comment=cst.Comment(HEADER))]
    shim[0] = shim[0].with_changes(leading_lines=header)
    body = list(module.body)
    at = 0
    while at < len(body) and _is_import_line(body[at]):
        at += 1
    if at < len(body):
        following = body[at]
        kept = [line for line in following.leading_lines if line.comment is not None]
        body[at] = following.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine(), *kept])
    return module.with_changes(body=[*body[:at], *shim, *body[at:]])


def strip(code: str) -> str:
    """The module without the shim (for tests of the other transforms)."""
    combos = [
        [*a, "command", *c, *g] for a in ([], ["argument"]) for c in ([], ["completion"]) for g in ([], ["group"])
    ]
    for names in sorted(combos, key=len, reverse=True):  # the longest first: a shorter one is its prefix
        block = f"\n\n{HEADER}\n{text(names)}"
        if block in code:
            return code.replace(block, "", 1)
    return code
