"""What a statement of a class body says of the class: its relationships and the attributes it assigns.

``posts = relationship(...)``: the relationship, its two sides (``backrefs``), and whether a read of it is a
Query (``lazy="dynamic"``) or cannot be loaded eagerly (``UNLOADABLE``); ``x: T`` and ``x = v``: attributes.
"""

from __future__ import annotations

import ast

from codemods.sqlalchemy_to_async import relations
from codemods.sqlalchemy_to_async.exprs import dotted, from_ast
from codemods.sqlalchemy_to_async.fact_records import ClassFacts

UNLOADABLE = {"write_only", "dynamic", "noload", "raise", "raise_on_sql", "WriteOnlyMapped", "DynamicMapped"}


def read(cls: ClassFacts, statement: ast.stmt) -> None:
    value = getattr(statement, "value", None)
    if isinstance(value, ast.Call) and isinstance(statement, (ast.Assign, ast.AnnAssign)):
        target = statement.target if isinstance(statement, ast.AnnAssign) else statement.targets[0]
        if isinstance(target, ast.Name) and (dotted(from_ast(value.func)) or "").endswith("relationship"):
            owner, annotation = cls.qualname.rpartition(".")[2], getattr(statement, "annotation", None)
            named, cls.shapes[target.id] = relations.shape(value, annotation, owner)
            link = relations.read(value)  # ``relationship(back_populates=...)`` under ``Mapped["Post"]``: that class
            cls.relationships[target.id], cls.links[target.id] = from_ast(value.func), (link[0] or named, *link[1:])
            lazy = next((getattr(k.value, "value", None) for k in value.keywords if k.arg == "lazy"), None)
            cls.dynamic.update([target.id] if lazy == "dynamic" else [])
            mapped = getattr(getattr(statement, "annotation", None), "value", None)  # ``WriteOnlyMapped[X]``
            if lazy in UNLOADABLE or getattr(mapped, "id", getattr(mapped, "attr", None)) in UNLOADABLE:
                cls.unloadable.add(target.id)
            cls.lazies.update({target.id: str(lazy)} if lazy is not None else {})
            backref = next((k.value for k in value.keywords if k.arg == "backref"), None)
            backref_lazy = [
                getattr(k.value, "value", None) for k in getattr(backref, "keywords", ()) if k.arg == "lazy"
            ]
            backref_lazy = [found for found in backref_lazy if found is not None]
            cls.backref_lazies.update({target.id: str(backref_lazy[0])} if backref_lazy else {})
    if isinstance(statement, (ast.Assign, ast.AnnAssign)) and value is not None:
        relations.keys(cls, statement, value)  # ``__tablename__``, ``Column(ForeignKey("users.id"))``
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        cls.attrs.setdefault(statement.target.id, []).append((None, ("ann", from_ast(statement.annotation))))
    elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if isinstance(target, ast.Name):
            found = from_ast(statement.value)
            if found and found[0] == "name" and found[1] in cls.methods:  # ``get = by_alias``: that method again
                cls.attrs.setdefault(target.id, []).append((None, ("def", ("name", f"{cls.qualname}.{found[1]}"))))
            else:
                cls.attrs.setdefault(target.id, []).append((None, ("value", found)))


def method_alias(cls: ClassFacts, name: str) -> bool:
    """``get = by_alias`` in the class body: calls of ``get`` are calls of the method (their arguments land in it)."""
    return any(method is None and how == "def" for method, (how, _) in cls.attrs.get(name, ()))
