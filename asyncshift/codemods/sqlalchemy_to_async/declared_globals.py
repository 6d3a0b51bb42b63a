"""Module globals a function sets: ``project_repo = None`` at the top (or in a module star-imported), then
``global project_repo; project_repo = ProjectRepository(db)`` in a setup function, and
``from app.core import project_repo; project_repo.get_by(...)`` elsewhere.

``facts`` keeps such a value as ``("in", function, value)``: it is typed in the function that assigns it, where the
class is often imported (``from app.repositories import ProjectRepository`` inside the setup function), so the
global is an instance of that class wherever it is read. Where functions assign instances of classes that do not
agree (``attribute_sets.agree``: one class, or a base every other is built on), which one is there at run time is
not in the code: the global is unknown, as before (``mixed_receivers`` names both at a call that differs).
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async import attribute_sets
from codemods.sqlalchemy_to_async.exprs import Expr
from codemods.sqlalchemy_to_async.fact_records import Binding


def is_set_in_function(value: Expr) -> bool:
    return bool(value) and value[0] == "in"


def typed(types: Any, module: str, bindings: list[Binding]) -> str | None:
    """The type of a module variable from its bindings: the first known, unless functions set it to values of
    types that do not agree."""
    first = types._bindings(module, None, bindings)
    if not any(is_set_in_function(value) for _, value in bindings):
        return first
    found = {types._bindings(module, None, [binding]) for binding in bindings} - {None}
    return first if len(found) <= 1 else attribute_sets.agree(types.project, found)
