"""sqlalchemy-to-async's report moves SQLAlchemy to 1.4 too: the libraries it breaks below a release move with it
(``flask_to_fastapi.sqlalchemy_companions``), against the project's pins as flask-to-fastapi's are; and one of them
pinned before its first release on SQLAlchemy 2.0 holds the SQLAlchemy requirement below 2.0 (``capped``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codemods.flask_to_fastapi import sqlalchemy_companions
from codemods.flask_to_fastapi.requirements import _against_pins, project_pins
from codemods.flask_to_fastapi.sqlalchemy_companions import alongside
from codemods.sqlalchemy_to_async import pytest_pins


def declared(wanted: list[str] | set[str], notes: Any) -> set[str]:
    """What to add to the report's requirements beside ``wanted``."""
    source = getattr(notes, "source", None)
    if not source:
        return set()
    folder = str(Path(source).resolve().parent)
    moved = (_against_pins(r, source, notes) for r in alongside(wanted, lambda name: project_pins(folder, name)))
    return {r for r in moved if r is not None} | pytest_pins.declared(wanted, notes)


def capped(wanted: list[str] | set[str], notes: Any) -> set[str]:
    """``wanted`` with its open SQLAlchemy requirement held below 2.0 where the project's pins need it."""
    source = getattr(notes, "source", None)
    if not source:
        return set(wanted)
    folder = str(Path(source).resolve().parent)
    return sqlalchemy_companions.capped(wanted, lambda name: project_pins(folder, name), notes)


def held_below_2(source: str | None) -> bool:
    """Whether the project around ``source`` pins SQLAlchemy 1.x, or a library needing it, in its pin files (those
    of a ``requirements/`` folder too: ``requirements/prod.txt`` behind a ``-r`` line)."""
    if not source:
        return False
    folder = str(Path(source).resolve().parent)
    return bool(sqlalchemy_companions.holding_below_2(lambda name: project_pins(folder, name)))
