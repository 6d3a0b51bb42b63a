"""A project pinning SQLAlchemy below 2.0 keeps its pin: its session factory is ``sessionmaker(class_=AsyncSession)``.

``async_sessionmaker`` came with 2.0; 1.4 has ``AsyncSession``, ``create_async_engine`` and
``async_scoped_session`` (everything else the conversion writes). A 1.4-era application (``sqlalchemy<2``
beside a classical ``mapper()``, which 2.0 removed) failed at import on the ``async_sessionmaker`` written for it.
The pins are read as typer-to-asyncclick reads Typer's (``pins``): requirement files, pyproject.toml, setup
files and lock files of the nearest folder naming SQLAlchemy, up to the project's root. A project pinning a
library that needs SQLAlchemy 1.x (Flask-SQLAlchemy 2.x) is held there too, its requirement capped ``<2.0``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from codemods.nearest import nearest
from codemods.sqlalchemy_to_async import companion_pins
from codemods.typer_to_asyncclick import pins

_REQUIREMENT = pins._pattern("sqlalchemy")
_LOCKED = re.compile(r'name = "sqlalchemy"\s*\nversion = "(\d+(?:\.\d+)*)"', re.IGNORECASE)


def below_2(source: str | None) -> bool:
    """Whether the project around the file at ``source`` pins a SQLAlchemy older than 2.0, or a library that needs one
    (``Flask-SQLAlchemy==2.4.4``: ``sqlalchemy_companions.FIRST_WITH_2_0``) with no SQLAlchemy 2 pin of its own."""
    if not source:
        return False
    folder = str(Path(source).resolve().parent)
    return _below_2(folder) or (companion_pins.held_below_2(source) and not _from_2(folder))


@functools.cache
def _below_2(folder: str) -> bool:
    return bool(nearest(folder, _pinned_in))


def below(source: str | None, version: tuple[int, ...]) -> bool:
    """Whether the newest SQLAlchemy the pins around the file at ``source`` allow is older than ``version``."""
    return bool(source) and _below(str(Path(source).resolve().parent), version)


@functools.cache
def _below(folder: str, version: tuple[int, ...]) -> bool:
    return bool(nearest(folder, functools.partial(_pinned_in, version=version)))


def from_2(source: str | None) -> bool:
    """Whether the project around the file at ``source`` pins SQLAlchemy 2.0 or later (its pins say so)."""
    return bool(source) and _from_2(str(Path(source).resolve().parent))


@functools.cache
def _from_2(folder: str) -> bool:
    return bool(nearest(folder, _floor_2_in))


def _floor_2_in(directory: Path) -> bool | None:
    """Whether the oldest SQLAlchemy the pins of ``directory`` allow is 2.0 or later (``>=2.0``, ``==2.0.30``, a lock
    file's 2.x); None where they name none."""
    text = "\n".join(p.read_text(errors="replace") for p in pins._candidates(directory))
    found = [
        pins._version(version)
        for match in _REQUIREMENT.finditer(text)
        for op, version, _ in pins._SPEC.findall(match.group(0))
        if op in ("==", "===", ">=", ">", "~=")
    ]
    found += [pins._version(match.group(1)) for match in _LOCKED.finditer(text)]
    return max(found) >= (2,) if found else None


def _pinned_in(directory: Path, version: tuple[int, ...] = (2,)) -> bool | None:
    text = "\n".join(p.read_text(errors="replace") for p in pins._candidates(directory))
    found = [
        bound[0]
        for match in _REQUIREMENT.finditer(text)
        for spec in pins._SPEC.findall(match.group(0))
        for bound in [pins._newest(*spec)]
        if bound
    ]
    found += [pins._version(match.group(1)) for match in _LOCKED.finditer(text)]
    return min(found) < version if found else None
