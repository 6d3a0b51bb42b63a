"""Putting ``[tool.asyncshift]`` into a project's ``pyproject.toml`` and nothing else: every byte
outside that table stays as it was (comments, order, quoting, line endings).

No TOML writer keeps a file byte for byte, so the edit is textual: append the table, or with
``force`` replace the lines of the old one; then both files are read back with ``tomllib`` and the
edit is refused unless everything but ``tool.asyncshift`` is equal and the table is the new one.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

HEADER = re.compile(r"^[ \t]*\[\[?[ \t]*([^\]\[]+?)[ \t]*\]\]?[ \t]*(#.*)?$")
OURS = re.compile(r"^tool[ \t]*\.[ \t]*\"?asyncshift\"?([ \t]*\..*)?$")


class TomlEditError(Exception):
    """The file cannot be edited safely; the message is one line naming the fix."""


class TableExists(TomlEditError):
    """``[tool.asyncshift]`` is there already and ``force`` was not given."""


def _without_ours(data: dict[str, Any]) -> dict[str, Any]:
    """The document minus ``tool.asyncshift`` (and minus an empty ``tool``)."""
    rest = dict(data)
    tool = {k: v for k, v in rest.pop("tool", {}).items() if k != "asyncshift"}
    if tool:
        rest["tool"] = tool
    return rest


def _spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line ranges of every ``[tool.asyncshift...]`` table, header to next header."""
    spans, start = [], None
    for index, line in enumerate(lines):
        match = HEADER.match(line.rstrip("\r\n"))
        if not match:
            continue
        if start is not None:
            spans.append((start, index))
            start = None
        if OURS.match(match.group(1)):
            start = index
    if start is not None:
        spans.append((start, len(lines)))
    return spans


def set_table(text: str, table: str, *, force: bool = False, path: str = "pyproject.toml") -> str:
    """``text`` with ``table`` (TOML text starting ``[tool.asyncshift]``) added, or replacing the
    existing one when ``force``; raise ``TableExists`` or ``TomlEditError`` instead of guessing."""
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlEditError(f"{path}: not valid TOML ({exc}); fix it, then run init again") from None
    newline = "\r\n" if "\r\n" in text else "\n"
    block = table.replace("\n", newline)
    exists = "asyncshift" in before.get("tool", {})
    if exists and not force:
        raise TableExists(f"{path} already has [tool.asyncshift]; rerun with --force to replace it")
    if exists:
        lines = text.splitlines(keepends=True)
        spans = _spans(lines)
        if not spans:
            raise TomlEditError(
                f"{path}: tool.asyncshift is set with dotted keys, not as a [tool.asyncshift] table; "
                "remove it by hand, then run init again"
            )
        first = spans[0][0]
        kept = [line for i, line in enumerate(lines) if not any(a <= i < b for a, b in spans)]
        insert = first - sum(b - a for a, b in spans if b <= first)
        head = "".join(kept[:insert])
        tail = "".join(kept[insert:])
        if head and not head.endswith(("\n", "\r")):
            head += newline
        result = head + block + (newline if tail else "") + tail
    else:
        result = text
        if result and not result.endswith("\n"):
            result += newline
        result += (newline if result.strip() else "") + block
    _verify(before, result, table, path)
    return result


def _verify(before: dict[str, Any], result: str, table: str, path: str) -> None:
    try:
        after = tomllib.loads(result)
    except tomllib.TOMLDecodeError as exc:
        raise TomlEditError(f"{path}: the edit would not parse ({exc}); add [tool.asyncshift] by hand") from None
    wanted = tomllib.loads(table).get("tool", {}).get("asyncshift")
    if _without_ours(after) != _without_ours(before) or after.get("tool", {}).get("asyncshift") != wanted:
        raise TomlEditError(
            f"{path}: [tool.asyncshift] could not be replaced without touching the rest of the file; "
            "remove the old table by hand, then run init again"
        )
