"""``compare = "module:build"`` set in ``[tool.asyncshift]``, every other byte of the file kept.

``asyncshift wire`` names its module there so ``asyncshift compare`` finds the hook; an existing
``compare`` line is replaced in place, else the line ends the table's own lines. The
result is parsed and compared with the original before it is returned, as ``tomledit`` does.
"""

from __future__ import annotations

import json
import re
import tomllib

from compat.control.tomledit import TomlEditError

HEADER = re.compile(r"^\s*\[tool\.asyncshift\]\s*(#.*)?$")
ANY_HEADER = re.compile(r"^\s*\[")
COMPARE = re.compile(r"^\s*compare\s*=")


def with_compare(text: str, spec: str, path: str = "pyproject.toml") -> str:
    """``text`` with ``[tool.asyncshift] compare = spec``; ``TomlEditError`` when it cannot be done safely."""
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlEditError(f"{path}: not valid TOML ({exc}); fix it, then run wire again") from None
    newline = "\r\n" if "\r\n" in text else "\n"
    line = f"compare = {json.dumps(spec)}   # the wiring `asyncshift wire` wrote: asyncshift compare's hook{newline}"
    lines = text.splitlines(keepends=True)
    start = next((i for i, row in enumerate(lines) if HEADER.match(row)), None)
    if start is None:
        raise TomlEditError(f"{path}: no [tool.asyncshift] table; run 'asyncshift init' first")
    end = next((i for i in range(start + 1, len(lines)) if ANY_HEADER.match(lines[i])), len(lines))
    found = next((i for i in range(start + 1, end) if COMPARE.match(lines[i])), None)
    if found is not None:
        lines[found] = line
    else:  # after the table's last line of text, before the blank lines ending it
        last = max((i for i in range(start, end) if lines[i].strip()), default=start)
        if not lines[last].endswith(("\n", "\r")):
            lines[last] += newline
        lines.insert(last + 1, line)
    result = "".join(lines)
    try:
        after = tomllib.loads(result)
    except tomllib.TOMLDecodeError as exc:
        raise TomlEditError(f"{path}: the edit would not parse ({exc}); add compare = {spec!r} by hand") from None
    expected = dict(before)
    expected.setdefault("tool", {})
    expected["tool"] = {**before["tool"], "asyncshift": {**before["tool"]["asyncshift"], "compare": spec}}
    if after != expected:
        raise TomlEditError(f"{path}: compare could not be set without touching the rest; add it by hand")
    return result
