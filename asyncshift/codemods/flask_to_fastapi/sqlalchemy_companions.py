"""Libraries pinned beside SQLAlchemy that its 1.4 breaks, moved with it.

The converted code needs SQLAlchemy 1.4 (``AsyncSession``, the helper's ``select``), so a project pinning 1.3 has
its pin moved; a library built on SQLAlchemy and pinned to a release before it supported 1.4 then stops the app
at import (SQLAlchemy-Utils before 0.37 imports ``_literal_as_text``, which 1.4 removed; Flask-SQLAlchemy before
2.5 sets attributes of the URL, immutable since 1.4; Flask-Admin before 1.5.7 imports
``sqlalchemy.ext.declarative.clsregistry``, moved in 1.4). Each such library the project pins is declared at its first
release supporting 1.4, through the same rule as the rest (``requirements._against_pins``: nothing when the
project's pin already meets it, the least move otherwise); a library the project does not pin is not declared.

Such a library pinned to releases all before its first on SQLAlchemy 2.0 (``FIRST_WITH_2_0``) holds SQLAlchemy
below 2.0: a project pinning ``Flask-SQLAlchemy==2.4.4`` beside ``SQLAlchemy>=1.3.0`` had ``sqlalchemy>=1.4``
declared, and installing it moved SQLAlchemy to 2.0 under Flask-SQLAlchemy 2.5, which fails there at import
(it reads ``sqlalchemy.__all__``, gone in 2.0). Each open SQLAlchemy requirement gets ``,<2.0`` then (``capped``),
as it does where the project pins SQLAlchemy 1.x itself, and sqlalchemy-to-async writes the 1.4 forms
(``pinned.below_2``). Not where the project also pins a library only at releases needing SQLAlchemy 2
(``FIRST_NEEDING_2_0``: Flask-SQLAlchemy 3.1 requires 2.0.16): the project runs on 2.x, the holding library with it
(Flask-Admin 1.6.1 declares no bound); held, SQLAlchemy went to 1.4 under Flask-SQLAlchemy 3.1 and an Alembic
needing 2, and the converted app failed at import.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from codemods.typer_to_asyncclick import pins

FIRST_WITH_1_4 = {"sqlalchemy-utils": "0.37", "flask-sqlalchemy": "2.5", "flask-admin": "1.5.7"}
# the first release of each running on SQLAlchemy 2.0 (Flask-SQLAlchemy 3.0.2 "update compatibility with SQLAlchemy 2";
# SQLAlchemy-Utils 0.40 and marshmallow-sqlalchemy 0.29 "support SQLAlchemy 2", whose 0.28.2 declares <2.0;
# Flask-Admin 1.6.1's packagers pin SQLAlchemy < 2, 2.0 supports it)
FIRST_WITH_2_0 = {"flask-sqlalchemy": "3.0.2", "sqlalchemy-utils": "0.40", "marshmallow-sqlalchemy": "0.29"}
FIRST_WITH_2_0 |= {"flask-admin": "2.0"}
# the first release of each needing SQLAlchemy 2 (Flask-SQLAlchemy 3.1.0: "bump minimum version of SQLAlchemy to
# 2.0.16")
FIRST_NEEDING_2_0 = {"sqlalchemy": "2.0", "flask-sqlalchemy": "3.1"}
BELOW_2 = "<2.0"
_OPEN_SQLALCHEMY = re.compile(r"^sqlalchemy(\[[^\]]*\])?\s*>=\s*[\d.]+$", re.IGNORECASE)
_BRINGS_1_4 = re.compile(r"^sqlalchemy(\[[^\]]*\])?(>=|~=)1\.4", re.IGNORECASE)


def alongside(wanted: set[str] | list[str], pinned: Callable[[str], object]) -> set[str]:
    """``name>=floor`` for each library the project pins (``pinned(name)``), when ``wanted`` brings SQLAlchemy 1.4."""
    if not any(_BRINGS_1_4.match(r) for r in wanted):
        return set()
    return {f"{name}>={floor}" for name, floor in FIRST_WITH_1_4.items() if pinned(name)}


Pins = Callable[[str], list[tuple[str, str]]]


def _newest(op: str, version: str) -> tuple[int, ...] | None:
    """The newest release one specifier allows (``pins._newest``), None for a lower bound."""
    text = version.rstrip(".*").strip(".")
    if not re.fullmatch(r"\d+(\.\d+)*", text):
        return None
    bound = pins._newest(op, text, ".*" if version.endswith("*") else "")
    return bound[0] if bound else None


def holding_below_2(pinned: Pins) -> list[str]:
    """``["flask-sqlalchemy==2.4.4"]``: each library the project pins (``pinned(name)``) to releases all before its
    first on SQLAlchemy 2.0, with its pin; moved to its first release on 1.4 (``alongside``), it stays on that line.
    SQLAlchemy's own pin below 2.0 (``==1.4.14``) holds it too: sqlalchemy-to-async's ``sqlalchemy[asyncio]>=1.4.24``
    was open, and pip took 2.0 for a project on 1.4.14 (the requirement's extra hides it from ``_against_pins``).
    Nothing holds it where a library the project pins needs SQLAlchemy 2 (``needing_2``)."""
    if needing_2(pinned):
        return []
    held = []
    for name, first in {"sqlalchemy": "2.0", **FIRST_WITH_2_0}.items():  # and the project's own pin of SQLAlchemy 1.x
        given = list(pinned(name) or [])
        bounds = [b for b in (_newest(op, v) for op, v in given) if b is not None]
        if bounds and min(bounds) < tuple(int(p) for p in first.split(".")):
            held.append(name + ",".join(op + v for op, v in given))
    return held


def _floor(op: str, version: str) -> tuple[int, ...] | None:
    """The oldest release one specifier allows, None for an upper bound."""
    text = version.rstrip(".*").strip(".")
    if op not in ("==", "===", "~=", ">=", ">") or not re.fullmatch(r"\d+(\.\d+)*", text):
        return None
    return tuple(int(p) for p in text.split("."))


def needing_2(pinned: Pins) -> list[str]:
    """``["flask-sqlalchemy==3.1.1"]``: each library the project pins only at releases needing SQLAlchemy 2, with its
    pin (SQLAlchemy's own floor of 2.0 too): the project runs on SQLAlchemy 2, whatever else it pins."""
    needing = []
    for name, first in FIRST_NEEDING_2_0.items():
        given = list(pinned(name) or [])
        floors = [f for f in (_floor(op, v) for op, v in given) if f is not None]
        if floors and max(floors) >= tuple(int(p) for p in first.split(".")):
            needing.append(name + ",".join(op + v for op, v in given))
    return needing


def capped(requirements: set[str] | list[str], pinned: Pins, notes: object) -> set[str]:
    """``requirements`` with each open SQLAlchemy one (``sqlalchemy>=1.4``) held below 2.0 when a library the project
    pins needs it (``holding_below_2``), and a note naming that library."""
    wanted = set(requirements)
    open_ones = {r for r in wanted if _OPEN_SQLALCHEMY.match(r)}
    held = holding_below_2(pinned) if open_ones else []
    if not held:
        return wanted
    if hasattr(notes, "note"):
        shown = ", ".join(sorted(open_ones))
        notes.note(f"{shown}: held {BELOW_2} by the project's pin of {', '.join(held)}, a release before SQLAlchemy 2")
    return (wanted - open_ones) | {f"{r},{BELOW_2}" for r in open_ones}
