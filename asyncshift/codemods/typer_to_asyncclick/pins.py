"""The Typer version a program pins (pyproject.toml, requirements*.txt, setup.cfg, setup.py), for the help style.

Typer 0.29 labels values ``<str>``/``<int>`` in ``--help``; earlier versions print Click's metavars
(``TEXT``, ``INTEGER``, ``NAME``). A program pinned below 0.29 keeps its style; one pinned with a
lower bound only, or not at all, gets the newest.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from codemods.nearest import nearest

LABELS_SINCE = (0, 29)
FILES = ("pyproject.toml", "setup.cfg", "setup.py", "requirements.txt", "requirements.in")
_PIN = re.compile(r"""(?<![\w-])typer(?:\[[^\]]*\])?\s*(==|~=|<=|<)\s*v?(\d+(?:\.\d+)*)""", re.IGNORECASE)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3])


def labels(source: str | None) -> bool:
    """Whether the program whose file is at ``source`` gets Typer 0.29's ``<str>`` labels (True) or
    Click's metavars (False: it pins Typer below 0.29)."""
    if not source:
        return True
    return _labels(str(Path(source).resolve().parent))


@functools.cache
def _labels(folder: str) -> bool:
    found = nearest(folder, _labels_in)
    return True if found is None else found  # nothing pins Typer up to the project's root


def _labels_in(directory: Path) -> bool | None:
    texts = [p.read_text(errors="replace") for p in _candidates(directory)]
    pins = [(op, _version(v)) for text in texts for op, v in _PIN.findall(text)]
    if not pins:
        return None
    return not any(v < LABELS_SINCE or (op == "<" and v <= LABELS_SINCE) for op, v in pins)


def _candidates(directory: Path) -> list[Path]:
    found = [directory / name for name in FILES if (directory / name).is_file()]
    return found + sorted(p for p in directory.glob("requirements*.txt") if p.is_file() and p not in found)
