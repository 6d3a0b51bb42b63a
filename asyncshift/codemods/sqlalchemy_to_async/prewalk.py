"""One walk of a module for the scans that read each function's body before the rewrite reaches it.

``lazy_loads`` and ``query_vars`` each walked a function's body when the rewrite entered the function, nested
functions once more for each enclosing one, with libcst visitors, which build a new node for every node they
pass. ``Bodies`` walks the module once, without building nodes, and keeps per function (by its node) what both
read: ``Body``. ``children`` is that walk's step: the nodes under a node that hold code, in the order libcst's
visitors meet them (whitespace, comments and punctuation left out: they hold no names, calls or statements).
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
_VISITED = re.compile(r'visit_\w+\(\s*self,\s*"(\w+)"')
_FIELDS: dict[type, tuple[str, ...] | None] = {}


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
    _FIELDS[cls] = tuple(dict.fromkeys(_VISITED.findall(text))) if text is not None else None
    return _FIELDS[cls]


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The nodes right under ``node`` that hold code, in the order libcst's visitors meet them."""
    cls = type(node)
    fields = _FIELDS[cls] if cls in _FIELDS else _fields(cls)
    if fields is None:
        return [child for child in node.children if type(child) not in _TRIVIA]
    found = []
    for name in fields:
        value = getattr(node, name)
        if type(value) is tuple or type(value) is list:
            found += [child for child in value if type(child) not in _TRIVIA]
        elif isinstance(value, cst.CSTNode):
            if type(value) not in _TRIVIA:
                found.append(value)
        elif isinstance(value, Sequence) and not isinstance(value, str):
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
