"""Walks of a libcst tree that build no nodes, and a rewrite that builds only the nodes that change.

libcst's visitors build and validate a new node for every node they pass, whitespace included. ``walk`` and
``children`` read the tree as it is; ``rewrite`` is ``node.visit(transformer)`` without rebuilding what did not
change. All three follow each node's fields in the order libcst's own ``_visit_and_replace_children`` visits
them, read from its source (so a libcst release that adds a node or reorders one needs no table kept here), and
leave out the fields and nodes that hold no code (``TRIVIA``: whitespace, comments, punctuation, operators,
``async``): they hold no names, calls or statements.
"""

from __future__ import annotations

import functools
import inspect
import linecache
import re
import typing
from collections.abc import Iterator

import libcst as cst
import libcst._nodes.op as _op
import libcst._nodes.whitespace as _whitespace

# Nodes that hold no code: libcst's whitespace and punctuation (``ImportStar`` is kept: it says what is imported).
TRIVIA = frozenset(
    value
    for module in (_op, _whitespace)
    for value in vars(module).values()
    if inspect.isclass(value) and value.__module__ == module.__name__ and value is not cst.ImportStar
) | {cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace}
TRIVIA |= {cst.RightCurlyBrace, cst.Asynchronous}

# ``visit_required(self, "func", ...)``: the fields in the order a node's ``_visit_and_replace_children`` visits them.
_VISITED = re.compile(r'(visit_\w+)\(\s*self,\s*"(\w+)"')
_HOW: dict[type, dict[str, str]] = {}  # type -> field -> libcst's function visiting it (``visit_optional``...)


class _Fields(dict):
    """type -> the fields that may hold code, in libcst's visiting order; None when its source cannot be read, or
    does not show a field that may hold code visited (libcst is then asked: ``node.children``,
    ``_visit_and_replace_children``)."""

    def __missing__(self, kind: type) -> tuple[str, ...] | None:
        visits = _visits(kind)
        declared = getattr(kind, "__dataclass_fields__", {})
        code = {name for name, field in declared.items() if _holds_code(field.type)}
        if visits is None or not code <= {name for _, name in visits}:
            self[kind] = None
            return None
        _HOW[kind] = {name: how for how, name in reversed(visits)}  # the first, when a field has two (``names``)
        names = self[kind] = tuple(dict.fromkeys(name for _, name in visits if name in code or name not in declared))
        return names


def _visits(kind: type) -> list[tuple[str, str]] | None:
    """(libcst's visiting function, field) in the order ``kind._visit_and_replace_children`` calls them."""
    method = kind._visit_and_replace_children
    code = getattr(method, "__code__", None)
    lines = linecache.getlines(code.co_filename) if code is not None else []
    start = code.co_firstlineno - 1 if code is not None else 0
    if start < len(lines) and lines[start].lstrip().startswith("def "):  # its lines, up to the next at its indent
        indent = len(lines[start]) - len(lines[start].lstrip())
        end = start + 1
        while end < len(lines) and (
            not lines[end].strip()
            or len(lines[end]) - len(lines[end].lstrip()) > indent
            or lines[end].lstrip().startswith(")")  # a signature's closing line
        ):
            end += 1
        text = "".join(lines[start:end])
    else:
        try:
            text = inspect.getsource(method)
        except (OSError, TypeError):
            return None
    return _VISITED.findall(text)


def _holds_code(hint: object) -> bool:
    """Whether a field so annotated can hold a node that is not ``TRIVIA`` (``Sequence[LeftParen]``: no; an
    annotation not understood: yes, the walk then checks each value)."""
    if isinstance(hint, (str, typing.ForwardRef)):  # ``"CompIf"``: a libcst node named in its own module
        hint = getattr(cst, hint if isinstance(hint, str) else hint.__forward_arg__, None)
        if hint is None:
            return True
    if isinstance(hint, type):
        return issubclass(hint, cst.CSTNode) and hint not in TRIVIA
    if typing.get_origin(hint) is typing.Literal:  # ``Literal["*", "**"]``: text
        return False
    args = typing.get_args(hint)
    return any(_holds_code(arg) for arg in args) if args else True


class _Kept(dict):
    """type -> whether a value of that type is a node to walk, for one ``skip`` (isinstance on libcst's
    abstract classes is slow: once per type)."""

    def __init__(self, skip: type | tuple[type, ...]) -> None:
        super().__init__()
        self.skip = skip

    def __missing__(self, kind: type) -> bool:
        kept = self[kind] = issubclass(kind, cst.CSTNode) and kind not in TRIVIA and not issubclass(kind, self.skip)
        return kept


_FIELDS = _Fields()
_KEPT: dict[object, _Kept] = {}  # skip -> its table
_NODE = _KEPT[()] = _Kept(())  # type -> whether it is a libcst node that holds code


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The nodes right under ``node`` that hold code, in the order libcst's visitors meet them."""
    names = _FIELDS[type(node)]
    if names is None:
        return [child for child in node.children if _NODE[type(child)]]
    found = []
    for name in names:
        value = getattr(node, name)
        kind = type(value)
        if kind is list or kind is tuple:
            for item in value:
                if _NODE[type(item)]:
                    found.append(item)
        elif _NODE[kind]:
            found.append(value)
    return found


def walk(node: cst.CSTNode, skip: type | tuple[type, ...] = ()) -> Iterator[cst.CSTNode]:
    """``node`` and every node under it that holds code, parents before children, in libcst's visiting order;
    nodes of the ``skip`` types are neither yielded nor entered (``cst.BaseExpression``: the statements alone)."""
    kept = _KEPT.get(skip)
    if kept is None:
        kept = _KEPT[skip] = _Kept(skip)
    fields = _FIELDS
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        found: list[cst.CSTNode] = []
        names = fields[type(current)]
        if names is None:
            found = [child for child in current.children if kept[type(child)]]
            names = ()
        for name in names:
            value = getattr(current, name)
            kind = type(value)
            if kind is list or kind is tuple:
                for item in value:
                    if kept[type(item)]:
                        found.append(item)
            elif kept[kind]:
                found.append(value)
        stack.extend(reversed(found))


# -- the rewriting pass: what ``node.visit(transformer)`` gives, building only the nodes that change ---------


@functools.cache
def can_rewrite(transformer_type: type) -> bool:
    """Whether ``rewrite`` gives what libcst's visit gives for this transformer class: no hook per attribute
    (``visit_Call_func``: ``rewrite`` calls no ``on_visit_attribute``, so an override of it may only stand in
    for libcst's lookup of those) and none for ``TRIVIA`` (the nodes ``rewrite`` passes by)."""
    trivia = {kind.__name__ for kind in TRIVIA}
    ours = [n for c in transformer_type.__mro__ if not c.__module__.startswith("libcst") for n in vars(c)]
    hooks = [n.split("_", 1)[1] for n in ours if n.startswith(("visit_", "leave_"))]
    return not any("_" in hook or hook in trivia for hook in hooks)


def rewrite(node: cst.CSTNode, transformer: cst.CSTTransformer):
    """``node.visit(transformer)``: ``on_visit`` and ``on_leave`` called on the same nodes in the same order
    but ``TRIVIA`` (which libcst rebuilds too), a node none of whose children changed handed to ``on_leave``
    as it is; removals and flattened sequences as libcst applies them. A transformer ``can_rewrite`` rejects
    is run by libcst."""
    if not can_rewrite(type(transformer)):
        return node.visit(transformer)
    return _rewrite(node, transformer)


def rewrite_children(node: cst.CSTNode, transformer: cst.CSTTransformer) -> cst.CSTNode:
    """``node`` with each child rewritten (``rewrite``), the same node when none changed: for a transformer
    whose ``on_visit`` hands its root's children to ``rewrite`` itself."""
    return _rewrite(node, transformer, False)


def _rewrite(node: cst.CSTNode, transformer: cst.CSTTransformer, hooks: bool = True):
    if hooks and not transformer.on_visit(node):
        return transformer.on_leave(node, node)
    kind = type(node)
    names = _FIELDS[kind]
    if names is None:  # its fields unknown: libcst rebuilds it (its children through ``visit``)
        updated = node._visit_and_replace_children(transformer)
        return transformer.on_leave(node, updated) if hooks else updated
    changes = {}
    for name in names:
        value = getattr(node, name)
        value_type = type(value)
        if value_type is list or value_type is tuple:
            if value:
                items = _rewrite_sequence(value, transformer, _HOW[kind][name] == "visit_body_sequence")
                if items is not None:
                    changes[name] = items
        elif _NODE[value_type]:
            new = _rewrite(value, transformer)
            if new is not value:
                changes[name] = _replaced(kind, name, new)
    updated = node.with_changes(**changes) if changes else node
    return transformer.on_leave(node, updated) if hooks else updated


def _replaced(kind: type, name: str, new: object) -> object:
    """What a field becomes when its node's ``on_leave`` gave ``new`` (libcst's ``visit_required``,
    ``visit_optional`` and ``visit_sentinel``)."""
    if isinstance(new, cst.RemovalSentinel):
        how = _HOW[kind][name]
        if how == "visit_optional":
            return None
        if how == "visit_sentinel":
            return cst.MaybeSentinel.DEFAULT
    if isinstance(new, (cst.RemovalSentinel, cst.FlattenSentinel)):
        raise TypeError(f"{kind.__name__}.{name} cannot be removed or replaced by several nodes")
    return new


def _rewrite_sequence(items, transformer: cst.CSTTransformer, body: bool) -> tuple | None:
    """The items rewritten, None when none changed (libcst's ``visit_sequence``, and ``visit_body_sequence``:
    a statement emptied by its children goes)."""
    out: list = []
    changed = False
    for item in items:
        if not _NODE[type(item)]:
            out.append(item)
            continue
        new = _rewrite(item, transformer)
        if new is item:
            out.append(item)
            continue
        changed = True
        if isinstance(new, cst.RemovalSentinel):
            continue
        for one in new.nodes if isinstance(new, cst.FlattenSentinel) else (new,):
            if not (body and one._is_removable() and not item._is_removable()):
                out.append(one)
    return tuple(out) if changed else None
