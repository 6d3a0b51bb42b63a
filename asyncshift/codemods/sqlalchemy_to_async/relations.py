"""A ``relationship(...)`` as the first pass reads it: its target, and what its backref side cascades (``backrefs``).

Plain data (``facts`` must pickle): ``Link`` = (target class name, back_populates, backref name, own cascade,
backref's cascade, own cascade_backrefs, backref's cascade_backrefs), each None where the call does not say;
``Shape``: whether each side holds one row or many, and the class's ``__tablename__`` and foreign keys
(``relation_types``).
"""

from __future__ import annotations

import ast
from typing import Any

Link = tuple


def read(call: ast.Call) -> Link:
    """What ``relationship(Target, back_populates=..., backref=..., cascade=...)`` says about its two sides."""
    target = call.args[0] if call.args else None
    name = (
        target.value.rpartition(".")[2]
        if isinstance(target, ast.Constant) and isinstance(target.value, str)
        else (target.id if isinstance(target, ast.Name) else getattr(target, "attr", None))
    )
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    backref, backref_keywords = keywords.get("backref"), {}
    if isinstance(backref, ast.Call):  # ``backref("posts", cascade=...)``
        backref_keywords = {k.arg: k.value for k in backref.keywords if k.arg}
        backref = backref.args[0] if backref.args else None
    return (
        name,
        _constant(keywords.get("back_populates")),
        _constant(backref),
        _constant(keywords.get("cascade")),
        _constant(backref_keywords.get("cascade")),
        _constant(keywords.get("cascade_backrefs")),
        _constant(backref_keywords.get("cascade_backrefs")),
    )


def _constant(node: ast.AST | None):
    return node.value if isinstance(node, ast.Constant) else None


def saves(cascade, cascade_backrefs) -> bool:
    """A relationship cascading ``save-update`` (the default) along its backref (1.x's default)."""
    if cascade_backrefs is False:
        return False
    if cascade is None:
        return True
    tokens = {t.strip() for t in str(cascade).split(",")}
    return bool(tokens & {"all", "save-update"}) and "-save-update" not in tokens


# -- its shape: one row or a collection (``relation_types``) -------------------------------------------------------

Shape = tuple  # (own side, backref side, direction): "one" | "many" | "" each; "m2o" | "o2m" | "m2m" | ""
COLLECTIONS = {"List", "list", "Set", "set", "FrozenSet", "frozenset", "Sequence", "Collection", "Iterable"}
QUERIES = {"DynamicMapped", "WriteOnlyMapped"}  # ``Mapped`` alike whose value is a query of the collection


def shape(call: ast.Call, annotation: ast.AST | None, owner: str) -> tuple[str | None, Shape]:
    """(the class ``Mapped[...]`` names, else None; what the relationship's two sides hold), from what the call and
    its annotation say, the side a side never says left to the other (``relation_types``): ``secondary=`` holds many
    on both, ``lazy="dynamic"`` or ``uselist=True`` a collection (the other side then one row), ``uselist=False`` one,
    ``foreign_keys=[own_column]`` one row (many to one: the other side many)."""
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    backref = keywords.get("backref")
    back = {k.arg: k.value for k in backref.keywords if k.arg} if isinstance(backref, ast.Call) else {}
    named, mapped = _mapped(annotation)
    target = read(call)[0] or named
    if "secondary" in keywords:
        direction = "m2m"
    elif _constant(keywords.get("lazy")) == "dynamic" or _constant(keywords.get("uselist")) is True or mapped == "many":
        direction = "o2m"
    elif _said(back) == "many":  # ``backref("posts", lazy="dynamic")``: that side a collection, this one a row
        direction = "m2o"
    else:
        direction = "m2o" if target != owner and _own_keys(keywords.get("foreign_keys"), owner, target) else ""
    own = _said(keywords) or mapped or {"m2o": "one", "o2m": "many", "m2m": "many"}.get(direction, "")
    return named, (own, _said(back) or {"m2o": "many", "o2m": "one", "m2m": "many"}.get(direction, ""), direction)


def _said(keywords: dict) -> str:
    if _constant(keywords.get("uselist")) is not None:
        return "many" if _constant(keywords.get("uselist")) else "one"
    return "many" if _constant(keywords.get("lazy")) == "dynamic" else ""


def _own_keys(node: ast.AST | None, owner: str, target: str | None) -> bool:
    """``foreign_keys=[user_id]`` (a name the class body bound before: its own column), ``"Owner.user_id"``."""
    items = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node] if node is not None else []
    own = [
        isinstance(n, ast.Name) or (isinstance(n, ast.Constant) and str(n.value).partition(".")[0] == owner)
        for n in items
    ]
    return bool(own) and all(own) and target is not None


def _mapped(annotation: ast.AST | None) -> tuple[str | None, str]:
    """``Mapped["Post"]`` -> ("Post", "one"), ``Mapped[List["Post"]]``/``DynamicMapped[Post]`` -> ("Post", "many")."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return None, ""
    if not isinstance(annotation, ast.Subscript):
        return None, ""
    generic = _name(annotation.value)
    if generic not in {"Mapped", *QUERIES}:
        return None, ""
    inner, many = annotation.slice, generic in QUERIES
    for _ in range(4):
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            try:
                inner = ast.parse(inner.value, mode="eval").body
            except SyntaxError:
                return None, ""
        if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.BitOr):  # ``X | None``
            inner = inner.right if _name(inner.left) == "None" else inner.left
        elif isinstance(inner, ast.Subscript) and _name(inner.value) == "Optional":
            inner = inner.slice
        elif isinstance(inner, ast.Subscript) and _name(inner.value) in COLLECTIONS:
            inner, many = inner.slice, True
        else:
            break
    found = _name(inner)
    return (found, "many" if many else "one") if found and found != "None" else (None, "")


def _name(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    return node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)


def keys(cls: Any, statement: ast.Assign | ast.AnnAssign, value: ast.AST) -> None:
    """``__tablename__ = "users"`` and what the ``ForeignKey(...)`` of a column names, into ``cls`` (a ``ClassFacts``):
    "t:users" for ``ForeignKey("users.id")``, "c:User" for ``ForeignKey(User.id)``."""
    target = statement.target if isinstance(statement, ast.AnnAssign) else statement.targets[0]
    if getattr(target, "id", None) == "__tablename__" and isinstance(value, ast.Constant):
        cls.table = str(value.value)
    for node in ast.walk(value):
        if isinstance(node, ast.Call) and _name(node.func) == "ForeignKey" and node.args:
            key = node.args[0]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                cls.foreign.add("t:" + key.value.rpartition(".")[0].rpartition(".")[2])
            elif isinstance(key, ast.Attribute) and _name(key.value):
                cls.foreign.add(f"c:{_name(key.value)}")
