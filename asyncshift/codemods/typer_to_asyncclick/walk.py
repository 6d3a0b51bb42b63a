"""A read-only walk of a libcst tree, in source order, that builds no nodes.

``node.visit(visitor)`` rebuilds every node it passes (a dataclass made and validated per node), which
made the reads before the rewrite (the module's calls, its imports) cost about half the rewrite
itself. Reading needs none of that: this walk follows the dataclass fields, skipping whitespace and
punctuation, in the order libcst visits them (decorators before the name, ``a if b else c`` as written).
"""

from __future__ import annotations

import dataclasses
import functools
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
    "LazyImportFrom": ("relative", "module", "names"),
    "For": ("asynchronous", "target", "iter", "body", "orelse"),
    "CompFor": ("asynchronous", "target", "iter", "ifs", "inner_for_in"),
    "With": ("asynchronous", "items", "body"),
}


class _Fields(dict):
    """type -> the fields ``walk`` follows, in libcst's visit order (a plain dict lookup once known)."""

    def __missing__(self, kind: type) -> tuple[str, ...]:
        declared = [f.name for f in dataclasses.fields(kind) if not f.name.startswith(_LAYOUT)]
        first = [n for n in _SOURCE_ORDER.get(kind.__name__, ()) if n in declared]
        names = self[kind] = (*first, *(n for n in declared if n not in first))
        return names


class _Kept(dict):
    """type -> whether a value of that type is a node to walk, for one ``skip`` (isinstance on libcst's
    abstract classes is slow)."""

    def __init__(self, skip: type | tuple[type, ...]) -> None:
        super().__init__()
        self.skip = skip

    def __missing__(self, kind: type) -> bool:
        kept = self[kind] = issubclass(kind, cst.CSTNode) and not issubclass(kind, self.skip)
        return kept


_FIELDS = _Fields()
_KEPT: dict[object, _Kept] = {}  # skip -> its table
_NODE = _KEPT[()] = _Kept(())  # type -> whether it is a libcst node


def _fields(kind: type) -> tuple[str, ...]:
    return _FIELDS[kind]


def walk(node: cst.CSTNode, skip: type | tuple[type, ...] = ()) -> Iterator[cst.CSTNode]:
    """``node`` and every node under it, parents before children, in source order; nodes of the ``skip``
    types are neither yielded nor entered (``cst.BaseExpression``: the statements alone)."""
    kept = _KEPT.get(skip)
    if kept is None:
        kept = _KEPT[skip] = _Kept(skip)
    fields = _FIELDS
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        children: list[cst.CSTNode] = []
        for name in fields[type(current)]:
            value = getattr(current, name)
            kind = type(value)
            if kind is list or kind is tuple:
                for item in value:
                    if kept[type(item)]:
                        children.append(item)
            elif kept[kind]:
                children.append(value)
        stack.extend(reversed(children))


# -- rewriting: what ``node.visit(transformer)`` gives, without rebuilding what did not change --------

_BODIES = {(cst.Module, "body"), (cst.IndentedBlock, "body")}  # libcst's visit_body_sequence fields
# What the ``_LAYOUT`` fields hold: a transformer with a hook for one of these must be run by libcst.
LAYOUT_TYPES = (
    cst.BaseParenthesizableWhitespace,
    cst.EmptyLine,
    cst.Comment,
    cst.Newline,
    cst.TrailingWhitespace,
    cst.LeftParen,
    cst.RightParen,
    cst.Comma,
    cst.Semicolon,
    cst.Colon,
    cst.AssignEqual,
    cst.Dot,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
)
_OPTIONAL: dict[type, frozenset[str]] = {}


def _optional(kind: type) -> frozenset[str]:
    names = _OPTIONAL.get(kind)
    if names is None:
        names = _OPTIONAL[kind] = frozenset(f.name for f in dataclasses.fields(kind) if f.default is None)
    return names


@functools.cache
def can_rewrite(kind: type) -> bool:
    """Whether ``rewrite`` gives what libcst's visit gives for transformers of this class: it has no
    per-attribute hook and none for what the skipped fields hold (libcst's own classes define empty ones)."""
    layout = {c.__name__ for c in vars(cst).values() if isinstance(c, type) and issubclass(c, LAYOUT_TYPES)}
    ours = [name for c in kind.__mro__ if not c.__module__.startswith("libcst") for name in vars(c)]
    hooks = [name.split("_", 1)[1] for name in ours if name.startswith(("visit_", "leave_"))]
    return not any("_" in hook or hook in layout for hook in hooks)


def rewrite(node: cst.CSTNode, transformer: cst.CSTTransformer):
    """``node.visit(transformer)`` for a transformer with no hooks on whitespace, punctuation or comments
    (the fields ``walk`` skips) nor per attribute: its ``on_visit`` and ``on_leave`` are called for the
    same nodes in the same order. libcst rebuilds and validates every node it passes, whitespace
    included; here a node none of whose children changed is handed to ``on_leave`` as it is."""
    if not transformer.on_visit(node):
        return transformer.on_leave(node, node)
    return transformer.on_leave(node, rewrite_children(node, transformer))


def rewrite_children(node: cst.CSTNode, transformer: cst.CSTTransformer) -> cst.CSTNode:
    """``node`` with each child rewritten (``rewrite``), the same node when none changed; removals and
    flattened sequences as libcst applies them."""
    kind = type(node)
    changes = {}
    for name in _FIELDS[kind]:
        value = getattr(node, name)
        if type(value) is list or type(value) is tuple:
            items = _rewrite_sequence(value, transformer, (kind, name) in _BODIES)
            if items is not None:
                changes[name] = items
        elif _NODE[type(value)]:
            new = rewrite(value, transformer)
            if new is value:
                continue
            if isinstance(new, cst.FlattenSentinel) or (
                isinstance(new, cst.RemovalSentinel) and name not in _optional(kind)
            ):
                raise TypeError(
                    f"{type(value).__name__} in {kind.__name__}.{name} cannot be removed or replaced by several"
                )
            changes[name] = None if isinstance(new, cst.RemovalSentinel) else new
    return node.with_changes(**changes) if changes else node


def _rewrite_sequence(items, transformer: cst.CSTTransformer, body: bool) -> tuple | None:
    """The items rewritten, or None when each is unchanged (libcst's visit_sequence and visit_body_sequence)."""
    out: list = []
    changed = False
    for item in items:
        new = rewrite(item, transformer)
        if new is item:
            out.append(item)
            continue
        changed = True
        if isinstance(new, cst.RemovalSentinel):
            continue
        for one in new.nodes if isinstance(new, cst.FlattenSentinel) else (new,):
            if not (body and one._is_removable() and not item._is_removable()):  # an emptied statement goes
                out.append(one)
    return tuple(out) if changed else None
