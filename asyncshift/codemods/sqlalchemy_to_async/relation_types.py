"""Relationships typed as their model: ``forum.category`` a ``Category``, ``for f in category.forums`` each a ``Forum``.

A relationship's value was unknown to the type rules (``relationship("Category")`` is no class they call), so a
method of the model that became async, called through one, was neither awaited nor made its caller async:
``forum.category.delete()``, ``self.topic.hide(user)``, ``for f in category.forums: f.delete()``. The attribute is
now the model it names (its ``Mapped["Category"]`` when the call names none) where the relationship holds one row:
``uselist=False``, ``foreign_keys=`` naming the class's own columns, ``Mapped[X]``, or the side facing a collection
(``lazy="dynamic"``, ``uselist=True``, ``Mapped[List[X]]``) without ``secondary=``; the same for a ``backref=`` the
other class declares (``backref("posts", uselist=False)``) and for a ``back_populates`` pair. A loop over a
relationship (a collection, or a dynamic one's query steps and ``.all()``) gives rows of that model. What neither
side says (``relationship("User")`` alone: one row or many by its foreign keys) stays unknown.
"""

from __future__ import annotations

import re
from typing import Any

from codemods.sqlalchemy_to_async import login_users
from codemods.sqlalchemy_to_async.exprs import Expr
from codemods.sqlalchemy_to_async.fact_records import ClassFacts

STEPS = {"all", "filter", "filter_by", "where", "order_by", "limit", "offset", "distinct", "options", "join"}
FLIPPED = {"m2o": "many", "o2m": "one", "m2m": "many"}  # the other side's direction -> what this side holds


def declared(types: Any, owner: ClassFacts, name: str, base: str) -> str | None:
    """``owner``'s own relationship ``name`` read on an instance (``base``), when it holds one row: ``inst:`` of its
    class (on the class, ``Forum.category``, it is SQLAlchemy's attribute)."""
    found = _own(types, owner, name) if base.startswith(("inst:", "super:")) else None
    return found[0] if found and found[1] == "one" else None


def backref(types: Any, base: str, name: str) -> str | None:
    """``post.topic`` where ``Topic.posts = relationship("Post", backref="topic")``: the ``Topic`` it holds."""
    found = _backref(types, base, name)
    return found[0] if found and found[1] == "one" else None


def element(types: Any, module: str, function: str | None, expr: Expr) -> str | None:
    """What a loop over ``expr`` gives: a row of the relationship's class (``category.forums``,
    ``user.posts.filter_by(...).all()`` on a dynamic one), else None."""
    stepped = False
    while expr and expr[0] == "call" and expr[1] and expr[1][0] == "attr" and expr[1][2] in STEPS:
        expr, stepped = expr[1][1], True
    if not (expr and expr[0] == "attr"):
        return None
    base = login_users.instance(types, types.type_of(module, function, expr[1]), expr[2])  # ``current_user.x`` too
    if not base or not base.startswith("inst:"):
        return None
    found = _relationship(types, base, expr[2])
    if found is None or (stepped and not found[2]):
        return None  # query steps on a relationship that is no query
    return found[0] if found[1] != "one" else None


def _relationship(types: Any, base: str, name: str) -> tuple[str | None, str, bool] | None:
    module, _, qualname = base[5:].partition(":")
    for cls in types.project.mro(module, qualname):
        if name in cls.links:
            return _own(types, cls, name)
        if name in cls.methods or any(method is None for method, _ in cls.attrs.get(name, ())):
            return None  # the class body's own ``name``, no relationship
    return _backref(types, base, name)


def _own(types: Any, owner: ClassFacts, name: str) -> tuple[str | None, str, bool] | None:
    """(``inst:`` of the class, "one" | "many" | "", dynamic) of relationship ``name`` declared on ``owner``."""
    link, shape = owner.links.get(name), owner.shapes.get(name)
    if link is None or shape is None:
        return None
    target = _class(types, owner.module, link[0])
    own = shape[0]
    if not own and link[1] and target:  # ``back_populates``: what the other side's direction leaves this one
        other_module, _, other_qualname = target[5:].partition(":")
        other = types.project.modules[other_module].classes.get(other_qualname)
        own = FLIPPED.get(other.shapes.get(link[1], ("", "", ""))[2], "") if other else ""
    if not own and not shape[2] and target:  # by the foreign keys: a key of its own to the other's table
        own = {"m2o": "one", "o2m": "many"}.get(_direction(types, owner, target), "")
    return target, own, name in owner.dynamic


def _backref(types: Any, base: str, name: str) -> tuple[str | None, str, bool] | None:
    module, _, qualname = base[5:].partition(":")
    names = {cls.qualname.rpartition(".")[2] for cls in types.project.mro(module, qualname)}
    found = [
        (f"inst:{owner.module}:{owner.qualname}", owner.shapes[rel], owner.backref_lazies.get(rel) == "dynamic")
        for target, backref_name, owner, rel in _backrefs(types)
        if backref_name == name and target in names and rel in owner.shapes
    ]
    if len(found) != 1:
        return None
    kind, (_, back, direction), dynamic = found[0]
    if not back and not direction:  # the declaring side's foreign keys: many to one there, one to many here
        back = {"m2o": "many", "o2m": "one"}.get(_direction(types, _facts(types, kind), base), "")
    return kind, back, dynamic


def _direction(types: Any, owner: ClassFacts | None, target: str) -> str:
    """``"m2o"`` when ``owner``'s columns hold a foreign key to ``target``'s table and not the other way, ``"o2m"`` the
    other way round, else ""."""
    other = _facts(types, target)
    if owner is None or other is None:
        return ""
    mine, theirs = types.project.mro(owner.module, owner.qualname), types.project.mro(other.module, other.qualname)
    if any(cls is c for cls in mine for c in theirs):
        return ""  # one lineage (self-referential): its ``remote_side`` decides
    to_them = any(_names(theirs) & cls.foreign for cls in mine)
    to_me = any(_names(mine) & cls.foreign for cls in theirs)
    return "m2o" if to_them and not to_me else "o2m" if to_me and not to_them else ""


def _names(lineage: list[ClassFacts]) -> set[str]:
    """How a foreign key names the table of a class: its ``__tablename__`` (the lineage's nearest), else the name
    Flask-SQLAlchemy gives it (2.x's or 3.x's snake case); by the class: any of the lineage's."""
    found = {f"c:{cls.qualname.rpartition('.')[2]}" for cls in lineage}
    table = next((cls.table for cls in lineage if cls.table), None)
    name = lineage[0].qualname.rpartition(".")[2]
    snake = {
        re.sub(r"([A-Z]+)(?=[a-z0-9])", lambda m: f"_{m[0][:-1]}_{m[0][-1]}" if len(m[0]) > 1 else f"_{m[0]}", name),
        re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name),
    }
    return found | ({f"t:{table}"} if table else {f"t:{s.lower().lstrip('_')}" for s in snake})


def _facts(types: Any, kind: str) -> ClassFacts | None:
    module, _, qualname = kind.partition(":")[2].partition(":")
    facts = types.project.modules.get(module)
    return facts.classes.get(qualname) if facts else None


def _backrefs(types: Any) -> list[tuple[str, str, ClassFacts, str]]:
    """(target class name, backref name, the class declaring it, its relationship) for every ``backref=`` of the
    run, read once."""
    found = getattr(types, "_relation_backrefs", None)
    if found is None:
        found = types._relation_backrefs = [
            (link[0], link[2], cls, rel)
            for facts in types.project.modules.values()
            for cls in facts.classes.values()
            for rel, link in cls.links.items()
            if link[0] and link[2]
        ]
    return found


def _class(types: Any, module: str, name: str | None) -> str | None:
    """``inst:`` of the class a relationship names: by the module's names, else the one class of the run so named
    (SQLAlchemy's registry reads a string by the class's name)."""
    if not name:
        return None
    found = types.global_name(module, name) if "." not in name else None
    if found and found.startswith("class:"):
        return "inst:" + found[6:]
    names = getattr(types, "_relation_classes", None)
    if names is None:
        names = types._relation_classes = {}
        for facts in types.project.modules.values():
            for cls in facts.classes.values():
                names.setdefault(cls.qualname.rpartition(".")[2], []).append(f"inst:{cls.module}:{cls.qualname}")
    named = names.get(name.rpartition(".")[2], [])
    return named[0] if len(named) == 1 else None
