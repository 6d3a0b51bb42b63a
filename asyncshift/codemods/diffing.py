"""Unified diffs that ``git apply`` accepts: ``a/``/``b/`` prefixes and the no-newline marker."""

from __future__ import annotations

import difflib
from pathlib import PurePath

NO_NEWLINE = "\\ No newline at end of file\n"


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n" + NO_NEWLINE  # difflib keeps the marker attached to its line
    return lines


def unified_diff(path: PurePath | str, before: str, after: str) -> str:
    """The patch turning ``before`` into ``after`` for ``path`` (relative, forward slashes)."""
    name = PurePath(path).as_posix()
    out = difflib.unified_diff(_lines(before), _lines(after), f"a/{name}", f"b/{name}")
    header = f"diff --git a/{name} b/{name}\n"
    body = "".join(out)
    return header + body if body else ""


def new_file_diff(path: PurePath | str, text: str) -> str:
    """The patch creating ``path`` with ``text`` (``git apply`` needs ``/dev/null`` and the file mode)."""
    name = PurePath(path).as_posix()
    body = "".join(difflib.unified_diff([], _lines(text), "/dev/null", f"b/{name}"))
    return f"diff --git a/{name} b/{name}\nnew file mode 100644\n{body}" if body else ""
