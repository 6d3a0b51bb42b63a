"""What pytest-asyncio (``pytest_config.REQUIREMENT``, for the tests made async) moves of the project's own pins.

pytest-asyncio 0.26 (the first with ``asyncio_default_test_loop_scope``) requires pytest 8.2, which requires pluggy
1.5: a project pinning either lower (``pluggy==0.13.1`` beside an application's own plugin manager) had it moved by
pip without a word in the report (pytest 7.4.4 -> 8.4.2, pluggy 0.13.1 -> 1.6.0). Each one the project pins below
that floor is declared at it, with a note; ``>=`` and not the floor's line (``~=8.2.0``): pytest-asyncio and pytest
bound them from above already, and a pytest newer than the floor where the tests run stays. An older
pytest-asyncio has no session loop scope setting, so the move stays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codemods.flask_to_fastapi.requirements import _version, project_pins
from codemods.flask_to_fastapi.sqlalchemy_companions import _newest
from codemods.sqlalchemy_to_async import pytest_config

NEEDS = {"pytest": "8.2", "pluggy": "1.5"}  # pytest-asyncio 0.26: pytest>=8.2,<9; pytest 8.2: pluggy>=1.5,<2


def _too_low(pins: list[tuple[str, str]], floor: tuple[int, ...]) -> bool:
    """Whether the pins hold the package below ``floor``: an exact or upper bound under it (a floor alone allows it)."""
    bounds = [b for b in (_newest(op, v) for op, v in pins) if b is not None]
    return bool(bounds) and min(bounds) < floor


def declared(wanted: list[str] | set[str], notes: Any) -> set[str]:
    """The moves of the project's pytest and pluggy pins that ``wanted`` (with pytest-asyncio) brings."""
    source = getattr(notes, "source", None)
    if not source or pytest_config.REQUIREMENT not in wanted:
        return set()
    folder = str(Path(source).resolve().parent)
    moved = set()
    for name, floor in NEEDS.items():
        pins = project_pins(folder, name)
        if pins and _too_low(pins, _version(floor)):
            moved.add(f"{name}>={floor}")
            if hasattr(notes, "note"):
                shown = ", ".join(op + v for op, v in pins)
                notes.note(f"{name}: the project's pin ({shown}) moves to {name}>={floor}: {pytest_config.REQUIREMENT}")
    return moved
