"""``Model.query.by_name(...)`` where the model's ``query_class`` is a ``Query`` subclass of the run defining it.

Flask-SQLAlchemy builds ``Model.query`` from ``query_class`` (the model's, else the one its ``db`` was made with:
``SQLAlchemy(query_class=X)``): a method that class defines (``get_by_name``, or its own ``get``) is the app's
function, converted as any other (made async, awaited where called), never read as the legacy Query step of that
name (``get(project, id)`` is not ``session.get(Model, ...)``). One that only adds steps is written out in the
chains calling it instead (``query_properties.expand``).
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async import flask_db
from codemods.sqlalchemy_to_async.exprs import Expr

_PROPERTIES = {"property", "cached_property", "staticmethod", "classmethod"}


def method(types: Any, base: str | None, module: str, function: str | None, expr: Expr) -> str | None:
    """``func:`` of the method ``expr`` (``Model.query.<name>``) names on the model's query class, if the run has it."""
    if base != "sqla:query" or expr[1][0] != "attr" or expr[1][2] != "query":
        return None
    model = types.type_of(module, function, expr[1][1])
    if not model or not model.startswith(("class:", "inst:")):
        return None
    found = query_class(types, *model.split(":", 2)[1:])
    if found is None:
        return None
    project = types.project
    for owner in project.mro(*found):
        if expr[2] in owner.methods:
            func = project.function(owner.module, f"{owner.qualname}.{expr[2]}")
            if func is None or any(d.rpartition(".")[2] in _PROPERTIES for d in func.decorators):
                return None
            if f"{owner.qualname}.{expr[2]}" in project.modules[owner.module].query_builders:
                return None  # it builds a new query of the class: a step of the chain (``query_class_shapes``)
            return f"func:{func.id}"
    return None


def query_class(types: Any, module: str, cls: str) -> tuple[str, str] | None:
    """(module, qualname) of the class the model's (or a base model's) ``query_class = X`` names, of the run; else
    the ``query_class=`` of the ``db`` whose ``db.Model`` it is built on."""
    project = types.project
    for owner in project.mro(module, cls):
        for _, (how, value) in owner.attrs.get("query_class", [])[:1]:
            if how != "value":
                return None
            nested = f"{owner.qualname}.{value[1]}" if value[0] == "name" else None
            if nested and nested in project.modules[owner.module].classes:  # a class in the model's body
                return owner.module, nested
            return _class(types, owner.module, value)
    where = flask_db.model_db(project, module, cls)
    given = project.modules[where[0]].db_query_classes.get(where[1]) if where else None
    return _class(types, where[0], given) if given else None


def _class(types: Any, module: str, value: Expr) -> tuple[str, str] | None:
    found = types.type_of(module, None, value)
    return tuple(found.split(":", 2)[1:]) if found and found.startswith("class:") else None


def run_classes(project: Any, key: str, find: Any) -> set[tuple[str, str]]:
    """(module, qualname) that ``find(project, module, cls)`` gives for the run's classes, computed once (``key``)."""
    found = project.__dict__.get(key)
    if found is None:
        found = {
            where
            for module in project.modules.values()
            for cls in module.classes
            if (where := find(project, module.name, cls)) is not None
        }
        project.__dict__[key] = found
    return found
