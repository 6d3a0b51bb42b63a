"""One walk of a module for the per-function scans, building no nodes (libcst's visitors build one per node).

``lazy_loads`` and ``query_vars`` each walked a function's body when the rewrite entered the function, nested
functions once more for each enclosing one. ``Bodies`` walks the module once (``cst_walk.children``: the nodes
that hold code, in the order libcst's visitors meet them) and keeps per function (by its node) what both read:
``Body``.
"""

from __future__ import annotations

import libcst as cst

from codemods.cst_walk import children


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
