"""The dotted name Python imports a file under, for the codemods' first passes (which module is which)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath


def module_name(relative: str | None, source: str | None) -> str:
    """The dotted import name of a file: from its packages on disk, else from its relative path."""
    if source is not None and os.path.exists(source):
        path = Path(source).resolve()
        parts = [] if path.name == "__init__.py" else [path.stem]
        folder = path.parent
        while (folder / "__init__.py").exists():
            parts.insert(0, folder.name)
            folder = folder.parent
        if parts:
            return ".".join(parts)
    if relative:
        pure = PurePosixPath(relative)
        parts = list(pure.parent.parts) + ([] if pure.stem == "__init__" else [pure.stem])
        return ".".join(p for p in parts if p not in (".", "")) or "__main__"
    return "__main__"


def suffix_index(names: Iterable[str]) -> dict[str, str | None]:
    """Each text after a dot of a dotted name (``b.c`` and ``c`` for ``a.b.c``) -> that name, or None when
    several names end with it: which module a shorter import path means, in one lookup."""
    index: dict[str, str | None] = {}
    for name in names:
        at = name.find(".")
        while at != -1:
            suffix = name[at + 1 :]
            index[suffix] = None if suffix in index else name
            at = name.find(".", at + 1)
    return index
