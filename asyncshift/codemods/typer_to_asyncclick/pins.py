"""The Typer and Click versions a program pins, for the style of its help.

Read from pyproject.toml, setup.cfg, setup.py, requirements*.txt / .in and the lock files (uv.lock,
poetry.lock, Pipfile.lock) of the nearest folder that names either, up to the project's root. A
version is the newest the pins allow: ``typer==0.19.2`` is 0.19.2, ``typer<0.29`` the last 0.28,
``~=0.20.1`` the last 0.20; a lower bound alone, or no pin, is None (the newest: the help of the
Typer and Click a fresh install gets).

The help differs by Typer version (``<str>`` labels from 0.29, ``[NAME]`` for an optional argument
with a metavar from 0.20.1...) and, below Typer 0.26 (which brings its own copy of Click), by the
Click installed beside it: Typer < 0.26 on Click 8.5 prints no argument help, on Click < 8.2
"(Deprecated)" before a command's help. The converted program runs on asyncclick, so the Click
version is decided here from the pins and, when Click is not pinned exactly, by the converted
program from the Click still installed beside it (``importlib.metadata``; see ``typer_help.py``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple

from codemods.nearest import nearest

LABELS_SINCE = (0, 29)
NEWEST = 10**6  # a part no release reaches: "the last 0.28" is (0, 28, NEWEST)
FILES = ("pyproject.toml", "setup.cfg", "setup.py", "requirements.txt", "requirements.in")
LOCKS = ("uv.lock", "poetry.lock", "Pipfile.lock")
_OPS = r"(===|==|~=|<=|<|>=|>|!=)\s*v?(\d+(?:\.\d+)*)(\.\*)?"


class Versions(NamedTuple):
    """What the program pins: ``typer``/``click`` as version tuples (None: the newest), and whether
    Click is pinned exactly (then the Click installed beside the converted program is not asked)."""

    typer: tuple[int, ...] | None = None
    click: tuple[int, ...] | None = None
    click_exact: bool = False


def _pattern(name: str) -> re.Pattern[str]:
    # a requirement line, one specifier or several ("typer>=0.9,<0.20"); not asyncclick, rich-click, typer-slim
    spec = rf"{_OPS}(?:\s*,\s*{_OPS})*"
    return re.compile(rf"""(?<![\w.-]){name}(?:\[[^\]]*\])?\s*(?:\([^)]*\)|{spec})""", re.IGNORECASE)


_REQUIREMENT = {name: _pattern(name) for name in ("typer", "click")}
_SPEC = re.compile(_OPS)
_LOCKED = {  # name = "click" / version = "8.1.8" (uv, poetry); "click": {..., "version": "==8.1.8"} (Pipfile)
    name: re.compile(
        rf'name = "{name}"\s*\nversion = "(\d+(?:\.\d+)*)"|"{name}":\s*\{{[^}}]*?"version":\s*"==(\d+(?:\.\d+)*)"',
        re.IGNORECASE,
    )
    for name in ("typer", "click")
}


_POETRY = {
    name: re.compile(
        rf'^{name}\s*=\s*(?:\{{[^}}\n]*?version\s*=\s*)?"\s*(\^|~|==|<=|<)?\s*(\d+(?:\.\d+)*)"', re.MULTILINE
    )
    for name in ("typer", "click")
}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3])


def _newest(op: str, text: str, star: str) -> tuple[tuple[int, ...], bool] | None:
    """The newest version one specifier allows, and whether it names exactly one; None for a lower bound."""
    v = _version(text)
    if op in ("==", "===") and not star:
        return v, True
    if op in ("==", "===") or (op == "~=" and len(v) > 1):  # 0.19.* / ~=0.20.1: the last of that series
        kept = v if star else v[:-1]
        return (*kept, NEWEST), False
    if op == "<=":
        return v, False
    if op == "<":
        v = (*v, 0, 0)[:3]
        for at in (2, 1, 0):  # <0.29 is the last 0.28, <8.5.1 the last 8.5.0
            if v[at]:
                return (*v[:at], v[at] - 1, *(NEWEST,) * (2 - at)), False
    return None


def _poetry(op: str, v: tuple[int, ...]) -> tuple[tuple[int, ...], bool] | None:
    """Poetry's ``^``/``~`` (^0.12 and ~0.12.3: the last 0.12; ^8.1: the last 8), else as pip's."""
    if op == "^" and v[0]:
        return (v[0], NEWEST), False
    if op in "^~":
        return (*(*v, 0)[:2], NEWEST), False
    return _newest(op, ".".join(map(str, v)), "")


def _pins(text: str, name: str) -> tuple[tuple[int, ...], bool] | None:
    found = []
    for match in _REQUIREMENT[name].finditer(text):
        found += [bound for spec in _SPEC.findall(match.group(0)) for bound in [_newest(*spec)] if bound]
    for match in _POETRY[name].finditer(text):  # typer = "^0.12" / { version = "0.19.2", extras = [...] }
        found += [bound for bound in [_poetry(match.group(1) or "==", _version(match.group(2)))] if bound]
    for match in _LOCKED[name].finditer(text):
        found.append((_version(match.group(1) or match.group(2)), True))
    return min(found) if found else None


def versions(source: str | None) -> Versions:
    """The versions pinned around the file at ``source`` (see the module's docstring)."""
    if not source:
        return Versions()
    return _versions(str(Path(source).resolve().parent))


def labels(source: str | None) -> bool:
    """Whether the program at ``source`` gets Typer 0.29's ``<str>`` labels (False: Click's metavars)."""
    typer = versions(source).typer
    return typer is None or typer >= LABELS_SINCE


@functools.cache
def _versions(folder: str) -> Versions:
    return nearest(folder, _versions_in) or Versions()


def _versions_in(directory: Path) -> Versions | None:
    text = "\n".join(p.read_text(errors="replace") for p in _candidates(directory))
    typer, click = _pins(text, "typer"), _pins(text, "click")
    if typer is None and click is None:
        return None
    return Versions(typer and typer[0], click and click[0], bool(click and click[1]))


def _candidates(directory: Path) -> list[Path]:
    found = [directory / name for name in (*FILES, *LOCKS) if (directory / name).is_file()]
    return found + sorted(p for p in directory.glob("requirements*.txt") if p.is_file() and p not in found)
