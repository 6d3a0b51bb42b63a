"""A ``relationship(...)`` as the first pass reads it: its target, and what its backref side cascades (``backrefs``).

Plain data (``facts`` must pickle): ``Link`` = (target class name, back_populates, backref name, own cascade,
backref's cascade, own cascade_backrefs, backref's cascade_backrefs), each None where the call does not say.
"""

from __future__ import annotations

import ast

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
