"""A blueprint's ``url_prefix`` known only at run time (a config value, a parameter), as FastAPI wants it.

Flask takes ``None`` or ``""`` as no prefix and strips a trailing slash; FastAPI adds the router's prefix to every
path (``None + "/x"``: a TypeError when the app is built) and refuses a trailing slash. A literal prefix is
joined when converted (``rules.join_prefix``); any other expression becomes ``(value or "").rstrip("/")``. Read
back (``bp.url_prefix``), it is the router's ``prefix``: ``blueprint_url_prefix(bp)`` (the helper's) answers it;
written (``bp.url_prefix = value``), ``set_blueprint_url_prefix(bp, value)`` moves the router's routes under it.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import rules
from codemods.flask_to_fastapi.nodes import arg, string_literal, string_value


def prefix_arg(value: cst.BaseExpression) -> cst.Arg:
    """``prefix=`` for ``APIRouter``/``include_router`` from Flask's ``url_prefix`` value."""
    text = string_value(value)
    return arg(string_literal(rules.join_prefix(text)) if text is not None else runtime_prefix(value), "prefix")


def runtime_prefix(value: cst.BaseExpression) -> cst.BaseExpression:
    """``value`` as a prefix FastAPI takes: ``(value or "").rstrip("/")``."""
    either = cst.BooleanOperation(
        value, cst.Or(), cst.SimpleString('""'), lpar=[cst.LeftParen()], rpar=[cst.RightParen()]
    )
    return cst.Call(cst.Attribute(either, cst.Name("rstrip")), [cst.Arg(cst.SimpleString('"/"'))])


READER = "blueprint_url_prefix"  # the helper reading ``url_prefix`` off a converted blueprint (its APIRouter)


class _Reads(cst.CSTVisitor):
    """``x.<attribute>`` read, not assigned or deleted (a target is visited before the attributes in it)."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute
        self.stores: set[int] = set()
        self.found: set[int] = set()

    def _store(self, target: cst.BaseExpression) -> None:
        for element in target.elements if isinstance(target, (cst.Tuple, cst.List)) else ():
            self._store(element.value)
        self.stores.add(id(target.value if isinstance(target, cst.StarredElement) else target))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._store(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._store(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._store(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self._store(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._store(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._store(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._store(node.name)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == self.attribute and id(node) not in self.stores:
            self.found.add(id(node))


def reads(module: cst.Module, attribute: str = "url_prefix") -> set[int]:
    """The ids of ``module``'s ``x.url_prefix`` reads: ``x`` may be a converted blueprint, an APIRouter, which has no
    ``url_prefix`` (AttributeError where a factory reads it to register each blueprint); or of another attribute."""
    found = _Reads(attribute)
    module.visit(found)
    return found.found


def read(needs: set[str], attribute: cst.Attribute) -> cst.Call:
    """``blueprint_url_prefix(x)`` for ``x.url_prefix``: the router's prefix, or the attribute of anything else."""
    needs.add(READER)
    return cst.Call(cst.Name(READER), [cst.Arg(attribute.value)], lpar=attribute.lpar, rpar=attribute.rpar)


WRITER = "set_blueprint_url_prefix"  # the helper writing it: the router's routes move under the new prefix


def write(needs: set[str], assign: cst.Assign) -> cst.BaseSmallStatement:
    """``set_blueprint_url_prefix(x, value)`` for ``x.url_prefix = value`` (one target): on a converted blueprint
    the attribute did nothing, FastAPI having put the prefix in each route's path as it was declared."""
    target = assign.targets[0].target if len(assign.targets) == 1 else None
    if not isinstance(target, cst.Attribute) or target.attr.value != "url_prefix":
        return assign
    needs.add(WRITER)
    call = cst.Call(cst.Name(WRITER), [cst.Arg(target.value), cst.Arg(assign.value)])
    return cst.Expr(call, semicolon=assign.semicolon)
