"""Alchemical's Flask ``db`` (``from alchemical.flask import Alchemical``): read as Flask-SQLAlchemy's ``db``.

Both are a ``db`` whose ``db.session`` is a sync session per app context, so the same rules apply (``flask_db``):
``db.session``'s I/O awaited where code can await, ``db.sync_session`` where it cannot. ``alchemical.aio`` has
no Flask integration, so the module that imports ``Alchemical`` imports it from ``_alchemical_async.py``
instead, written beside it: Alchemical's Flask ``db`` with ``db.session`` an ``AsyncSession`` in the event loop.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
from libcst.helpers import get_full_name_for_node

MODULE = "alchemical.flask"  # Alchemical's Flask integration (``alchemical.Alchemical`` is not per app context)
NAME = "Alchemical"
HELPER = "_alchemical_async"
TEMPLATE = Path(__file__).with_name("template") / f"{HELPER}.py"
NOTE = (
    f"db comes from {HELPER}.py: db.session is an AsyncSession in the event loop, on async engines made from "
    "ALCHEMICAL_DATABASE_URL, and so are db.Session() and db.begin() (async with); create_all/drop_all stay sync"
)


def canonical(dotted: str) -> str | None:
    """``alchemical.flask.Alchemical`` (or the helper's) -> ``flask_sqlalchemy.SQLAlchemy``: the same kind of
    ``db``; None for any other name."""
    module, _, name = dotted.rpartition(".")
    if name == NAME and (module == MODULE or module.rpartition(".")[2] == HELPER):
        return "flask_sqlalchemy.SQLAlchemy"
    return None


def is_import(node: cst.ImportFrom) -> bool:
    """``from alchemical.flask import Alchemical`` (absolute, any other names beside it)."""
    if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
        return False
    if get_full_name_for_node(node.module) != MODULE:
        return False
    return any(isinstance(a.name, cst.Name) and a.name.value == NAME for a in node.names)
