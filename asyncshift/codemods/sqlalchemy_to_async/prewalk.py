"""Walks of a libcst tree that build no nodes: libcst's visitors build a new node for every node they pass.

``lazy_loads`` and ``query_vars`` each walked a function's body when the rewrite entered the function, nested
functions once more for each enclosing one. ``Bodies`` walks the module once and keeps per function (by its
node) what both read: ``Body``. ``children`` is that walk's step: the nodes under a node that hold code, in the
order libcst's visitors meet them (whitespace, comments and punctuation left out: they hold no names, calls or
statements). ``rewrite`` is ``node.visit(transformer)`` for the rewriting pass, which builds only the nodes that
change.
"""

from __future__ import annotations

import inspect
import linecache
import re
from collections.abc import Sequence

import libcst as cst
import libcst._nodes.op as _op
import libcst._nodes.whitespace as _whitespace

# Nodes that hold no code: libcst's whitespace and punctuation (``ImportStar`` is kept: it says what is imported).
_TRIVIA = frozenset(
    value
    for module in (_op, _whitespace)
    for value in vars(module).values()
    if inspect.isclass(value) and issubclass(value, cst.CSTNode) and value is not cst.ImportStar
) | {cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace}
_TRIVIA |= {cst.RightCurlyBrace, cst.Asynchronous}
# ``visit_required(self, "func", ...)``: the fields in the order a node's ``_visit_and_replace_children`` visits them.
_VISITED = re.compile(r'(visit_\w+)\(\s*self,\s*"(\w+)"')
_FIELDS: dict[type, tuple[str, ...] | None] = {}
_HOW: dict[type, dict[str, str]] = {}  # type -> field -> libcst's function visiting it (``visit_optional``...)
_KINDS: dict[type, int] = {}  # a field value's type -> 1: a node to walk, 2: a sequence of them, 0: neither


def _fields(cls: type) -> tuple[str, ...] | None:
    """``cls``'s fields in libcst's visiting order, read from the source of its ``_visit_and_replace_children``
    (None when that cannot be read: ``children`` then asks libcst)."""
    method = cls._visit_and_replace_children
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
            text = None
    visits = _VISITED.findall(text) if text is not None else []
    _HOW[cls] = {name: how for how, name in reversed(visits)}  # the first, when a field has two (``names``)
    _FIELDS[cls] = tuple(dict.fromkeys(name for _, name in visits)) if text is not None else None
    return _FIELDS[cls]


def _kind(value_type: type) -> int:
    """1 for a node that holds code, 2 for a sequence, 0 otherwise (isinstance on libcst's abstract classes is
    slow: once per type)."""
    if value_type in _TRIVIA:
        kind = 0
    elif issubclass(value_type, cst.CSTNode):
        kind = 1
    else:
        kind = 2 if issubclass(value_type, Sequence) and not issubclass(value_type, str) else 0
    _KINDS[value_type] = kind
    return kind


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The nodes right under ``node`` that hold code, in the order libcst's visitors meet them."""
    cls = type(node)
    fields = _FIELDS[cls] if cls in _FIELDS else _fields(cls)
    if fields is None:
        return [child for child in node.children if type(child) not in _TRIVIA]
    found = []
    for name in fields:
        value = getattr(node, name)
        value_type = type(value)
        kind = _KINDS[value_type] if value_type in _KINDS else _kind(value_type)
        if kind == 1:
            found.append(value)
        elif kind == 2:
            found += [child for child in value if type(child) not in _TRIVIA]
    return found


class Body:
    """What one function's body holds, for the scans.

    ``assigned``/``read`` (``lazy_loads``): ``x = <call>`` and ``x.attr`` anywhere in the body, nested functions
    included. The rest (``query_vars``), outside nested functions, classes and lambdas: ``names``, every name but
    an attribute's (``a.b``'s ``b``) or a keyword's (``f(b=...)``'s ``b``); ``steps``, its assignments, ``for``
    loops and calls, in the order libcst's visitors meet them; ``nested``, every name used in a nested function,
    class or lambda.
    """

    __slots__ = ("node", "assigned", "read", "names", "steps", "nested")

    def __init__(self, node: cst.FunctionDef) -> None:
        self.node = node
        self.assigned: dict[str, list[cst.Call]] = {}
        self.read: dict[str, set[str]] = {}
        self.names: dict[str, list[cst.Name]] = {}
        self.steps: list[cst.Assign | cst.For | cst.Call] = []
        self.nested: set[str] = set()


class Bodies:
    """Each function's ``Body`` in one module: the module walked once, at the first question."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.found: dict[int, Body] | None = None

    def of(self, function: cst.FunctionDef) -> Body:
        if self.found is None:
            self.found = walk(self.module)
        body = self.found.get(id(function))
        if body is None or body.node is not function:  # not a node of this module: walked on its own
            body = walk(function)[id(function)]
        return body


def walk(root: cst.CSTNode) -> dict[int, Body]:
    """The ``Body`` of each function in ``root``, by ``id`` of its node."""
    found: dict[int, Body] = {}
    _walk(root, (), (), (), found)
    return found


_NESTS = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _walk(node: cst.CSTNode, inside: tuple, direct: tuple, nested: tuple, found: dict[int, Body]) -> None:
    """``inside``: the bodies ``node`` is in; ``direct``: those it is in outside nested definitions (and not an
    attribute's or keyword's name); ``nested``: those it is in inside a nested definition."""
    cls = type(node)
    if cls is cst.Name:
        for body in direct:
            body.names.setdefault(node.value, []).append(node)
        for body in nested:
            body.nested.add(node.value)
        return
    if cls is cst.Attribute:
        if inside and type(node.value) is cst.Name:
            for body in inside:
                body.read.setdefault(node.value.value, set()).add(node.attr.value)
        for child in children(node):
            _walk(child, inside, direct if child is node.value else (), nested, found)
        return
    if cls is cst.Arg:
        for child in children(node):
            _walk(child, inside, direct if child is node.value else (), nested, found)
        return
    if cls is cst.Assign:
        target = node.targets[0].target if len(node.targets) == 1 else None
        if inside and type(target) is cst.Name and type(node.value) is cst.Call:
            for body in inside:
                body.assigned.setdefault(target.value, []).append(node.value)
        for body in direct:
            body.steps.append(node)
    elif cls is cst.For or cls is cst.Call:
        for body in direct:
            body.steps.append(node)
    elif cls in _NESTS:
        if direct:
            nested, direct = nested + direct, ()
        if cls is cst.FunctionDef:
            own = found[id(node)] = Body(node)
            for child in children(node):
                if child is node.body:
                    _walk(child, (*inside, own), (own,), nested, found)
                else:
                    _walk(child, inside, direct, nested, found)
            return
    for child in children(node):
        _walk(child, inside, direct, nested, found)


# -- the rewriting pass: what ``node.visit(transformer)`` gives, building only the nodes that change ---------


def rewrites_alike(transformer_type: type) -> bool:
    """Whether ``rewrite`` gives what libcst's visit gives for this transformer class: no hook per attribute
    (``visit_Call_func``) and none for whitespace, comments or punctuation (the nodes ``rewrite`` passes by)."""
    if transformer_type not in _ALIKE:
        trivia = {t.__name__ for t in _TRIVIA}
        ours = [n for c in transformer_type.__mro__ if not c.__module__.startswith("libcst") for n in vars(c)]
        hooks = [n.split("_", 1)[1] for n in ours if n.startswith(("visit_", "leave_"))]
        attribute_hooks = {"on_visit_attribute", "on_leave_attribute"} & set(ours)
        _ALIKE[transformer_type] = not attribute_hooks and not any("_" in h or h in trivia for h in hooks)
    return _ALIKE[transformer_type]


_ALIKE: dict[type, bool] = {}


def rewrite(node: cst.CSTNode, transformer: cst.CSTTransformer):
    """``node.visit(transformer)``: ``on_visit`` and ``on_leave`` called on the same nodes in the same order
    but those that hold no code (which libcst rebuilds too), a node none of whose children changed handed to
    ``on_leave`` as it is; removals and flattened sequences as libcst applies them. A transformer that
    ``rewrites_alike`` rejects is run by libcst."""
    if not rewrites_alike(type(transformer)):
        return node.visit(transformer)
    return _rewrite(node, transformer)


def _rewrite(node: cst.CSTNode, transformer: cst.CSTTransformer):
    if not transformer.on_visit(node):
        return transformer.on_leave(node, node)
    cls = type(node)
    fields = _FIELDS[cls] if cls in _FIELDS else _fields(cls)
    if fields is None:  # its fields unknown: libcst rebuilds it (its children through ``visit``)
        return transformer.on_leave(node, node._visit_and_replace_children(transformer))
    changes = {}
    for name in fields:
        value = getattr(node, name)
        value_type = type(value)
        kind = _KINDS[value_type] if value_type in _KINDS else _kind(value_type)
        if kind == 2:
            items = _rewrite_sequence(value, transformer, _HOW[cls][name] == "visit_body_sequence")
            if items is not None:
                changes[name] = items
        elif kind == 1:
            new = _rewrite(value, transformer)
            if new is not value:
                changes[name] = _replaced(cls, name, new)
    return transformer.on_leave(node, node.with_changes(**changes) if changes else node)


def _replaced(cls: type, name: str, new: object) -> object:
    """What a field becomes when its node's ``on_leave`` gave ``new`` (libcst's ``visit_required``,
    ``visit_optional`` and ``visit_sentinel``)."""
    if isinstance(new, cst.RemovalSentinel):
        how = _HOW[cls][name]
        if how == "visit_optional":
            return None
        if how == "visit_sentinel":
            return cst.MaybeSentinel.DEFAULT
    if isinstance(new, (cst.RemovalSentinel, cst.FlattenSentinel)):
        raise TypeError(f"{cls.__name__}.{name} cannot be removed or replaced by several nodes")
    return new


def _rewrite_sequence(items, transformer: cst.CSTTransformer, body: bool) -> tuple | None:
    """The items rewritten, None when none changed (libcst's ``visit_sequence``, and ``visit_body_sequence``:
    a statement emptied by its children goes)."""
    out: list = []
    changed = False
    for item in items:
        if type(item) in _TRIVIA:
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
