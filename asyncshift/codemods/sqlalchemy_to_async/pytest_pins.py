"""Which pytest-asyncio the tests made async get, against the project's own pytest and pluggy pins.

pytest-asyncio 0.26 (the first with ``asyncio_default_test_loop_scope``) requires pytest 8.2, which requires pluggy
1.5: a project pinning either lower (``pluggy==0.13.1`` beside an application's own plugin manager, which reads
pluggy's internals) had them moved by pip (pytest 7.4.4 -> 8.4.2, pluggy 0.13.1 -> 1.6.0), and what the app built on
0.13.1 broke. Such a project (``held``) gets ``LEGACY`` instead, an older pytest-asyncio that runs on its pins: it has
no loop scope setting, so the one event loop of the session is its overridable ``event_loop`` fixture
(``loop_fixture``), and only ``asyncio_mode`` goes into the config. A pin below even that one's floor (pytest 5.4,
pluggy 0.12) is declared at the floor, with a note: ``>=`` and not the floor's line, a newer one where the tests run
stays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codemods.flask_to_fastapi.requirements import _version, project_pins
from codemods.flask_to_fastapi.sqlalchemy_companions import _newest
from codemods.sqlalchemy_to_async import pytest_config

NEEDS = {"pytest": "8.2", "pluggy": "1.5"}  # pytest-asyncio 0.26: pytest>=8.2,<9; pytest 8.2: pluggy>=1.5,<2
# 0.17 (asyncio_mode) to 0.21, the last overridable event_loop fixture with no warning: pytest>=5.4 (0.17),
# >=6.1 (0.18-0.20), >=7.0 (0.21), none bounded above; pytest 5.4-7.4: pluggy>=0.12
LEGACY = "pytest-asyncio>=0.17,<0.22"
LEGACY_NEEDS = {"pytest": "5.4", "pluggy": "0.12"}


def too_low(pins: list[tuple[str, str]], floor: tuple[int, ...]) -> bool:
    """Whether the pins hold the package below ``floor``: an exact or upper bound under it (a floor alone allows it)."""
    bounds = [b for b in (_newest(op, v) for op, v in pins) if b is not None]
    return bool(bounds) and min(bounds) < floor


def _folder(source: str | None) -> str | None:
    return str(Path(source).resolve().parent) if source else None


def held(source: str | None) -> bool:
    """Whether the project around the file at ``source`` pins pytest or pluggy below what pytest-asyncio 0.26 needs."""
    folder = _folder(source)
    return folder is not None and any(
        too_low(project_pins(folder, name), _version(floor)) for name, floor in NEEDS.items()
    )


def declared(wanted: list[str] | set[str], notes: Any) -> set[str]:
    """The moves of the project's pytest and pluggy pins that ``wanted`` (with pytest-asyncio) brings."""
    folder = _folder(getattr(notes, "source", None))
    chosen = next((r for r in (pytest_config.REQUIREMENT, LEGACY) if r in wanted), None)
    if folder is None or chosen is None:
        return set()
    moved = set()
    for name, floor in (NEEDS if chosen == pytest_config.REQUIREMENT else LEGACY_NEEDS).items():
        pins = project_pins(folder, name)
        if pins and too_low(pins, _version(floor)):
            moved.add(f"{name}>={floor}")
            if hasattr(notes, "note"):
                shown = ", ".join(op + v for op, v in pins)
                notes.note(f"{name}: the project's pin ({shown}) moves to {name}>={floor}: {chosen}")
    return moved
