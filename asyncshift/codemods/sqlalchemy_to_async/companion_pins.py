"""sqlalchemy-to-async's report moves SQLAlchemy to 1.4 too: the libraries it breaks below a release move with it
(``flask_to_fastapi.sqlalchemy_companions``), against the project's pins as flask-to-fastapi's are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codemods.flask_to_fastapi.requirements import _against_pins, project_pins
from codemods.flask_to_fastapi.sqlalchemy_companions import alongside


def declared(wanted: list[str] | set[str], notes: Any) -> set[str]:
    """What to add to the report's requirements beside ``wanted``."""
    source = getattr(notes, "source", None)
    if not source:
        return set()
    folder = str(Path(source).resolve().parent)
    moved = (_against_pins(r, source, notes) for r in alongside(wanted, lambda name: project_pins(folder, name)))
    return {r for r in moved if r is not None}
