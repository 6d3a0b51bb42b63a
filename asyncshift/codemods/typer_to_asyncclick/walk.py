"""A read-only walk of a libcst tree, in source order, that builds no nodes.

``node.visit(visitor)`` rebuilds every node it passes (a dataclass made and validated per node), which
made the reads before the rewrite (the module's calls, its imports) cost about half the rewrite
itself. Reading needs none of that: this walk follows the dataclass fields, skipping whitespace and
punctuation, in the order libcst visits them (decorators before the name, ``a if b else c`` as written).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import libcst as cst

# Fields that hold only whitespace, comments or punctuation: never a name, a call or a statement.
_LAYOUT = (
    "whitespace",
    "lpar",
    "rpar",
    "leading_lines",
    "lines_after_decorator",
    "header",
    "footer",
    "comma",
    "semicolon",
    "equal",
    "colon",
    "dot",
    "lbracket",
    "rbracket",
    "lbrace",
    "rbrace",
    "first_colon",
    "second_colon",
    "trailing_whitespace",
    "leading_whitespace",
)
# Node types whose fields are declared in another order than libcst visits them (the source order).
_SOURCE_ORDER = {
    "FunctionDef": ("decorators", "asynchronous", "name", "type_parameters", "params", "returns", "body"),
    "ClassDef": ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    "ExceptHandler": ("type", "name", "body"),
    "ExceptStarHandler": ("type", "name", "body"),
    "MatchCase": ("pattern", "guard", "body"),
    "Parameters": ("posonly_params", "posonly_ind", "params", "star_arg", "kwonly_params", "star_kwarg"),
    "TypeAlias": ("name", "type_parameters", "value"),
    "IfExp": ("body", "test", "orelse"),
    "Arg": ("keyword", "value"),
    "ImportFrom": ("relative", "module", "names"),
}
_FIELDS: dict[type, tuple[str, ...]] = {}
_KEPT: dict[tuple[type, object], bool] = {}  # (type, skip) -> a node to walk; isinstance on libcst's ABCs is slow


def _fields(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        declared = [f.name for f in dataclasses.fields(kind) if not f.name.startswith(_LAYOUT)]
        first = [n for n in _SOURCE_ORDER.get(kind.__name__, ()) if n in declared]
        names = _FIELDS[kind] = (*first, *(n for n in declared if n not in first))
    return names


def _kept(kind: type, skip: type | tuple[type, ...]) -> bool:
    key = (kind, skip)
    kept = _KEPT.get(key)
    if kept is None:
        kept = _KEPT[key] = issubclass(kind, cst.CSTNode) and not issubclass(kind, skip)
    return kept


def walk(node: cst.CSTNode, skip: type | tuple[type, ...] = ()) -> Iterator[cst.CSTNode]:
    """``node`` and every node under it, parents before children, in source order; nodes of the ``skip``
    types are neither yielded nor entered (``cst.BaseExpression``: the statements alone)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        children: list[cst.CSTNode] = []
        for name in _fields(type(current)):
            value = getattr(current, name)
            kind = type(value)
            if kind is list or kind is tuple:
                children.extend(item for item in value if _kept(type(item), skip))
            elif _kept(kind, skip):
                children.append(value)
        stack.extend(reversed(children))
