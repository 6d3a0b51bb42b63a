"""What the project around a file says of itself: asked of its folder, then each parent, up to its root.

The codemods read a project's pins and its Python floor this way; the project's root (a folder with
``.git`` or ``pyproject.toml``) is the last folder asked, so nothing above it speaks for it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def nearest(folder: str | Path, ask: Callable[[Path], T | None]) -> T | None:
    """The first answer ``ask(directory)`` gives that is not None, from ``folder`` up to the project's root."""
    here = Path(folder)
    for directory in (here, *here.parents):
        answer = ask(directory)
        if answer is not None:
            return answer
        if (directory / ".git").exists() or (directory / "pyproject.toml").exists():
            return None
    return None
