"""Local names that hide Flask's: ``request = Model.find_by_id(id)`` in a function is that function's own ``request``.

Python makes a name bound anywhere in a function (an assignment, a ``for``/``with``/``except`` target, an import, a
nested ``def``) local to the whole function, and to the functions nested in it that do not bind it themselves: there
Flask's ``request`` (``g``, ``session``...) is never read through that name, so nothing read through it is
rewritten (``FlaskNames.resolve`` answers None for those nodes) and the request the conversion needs there (a
view's parameter, the helper's proxy handed to ``render_template``) takes another name. A parameter is not counted: a
helper's ``request`` parameter is what its callers hand it, Flask's request as often as not (``passing``).
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi.names import FLASK_MODULES, dotted

HELPER_REQUEST = "request_helper"  # the helper's request proxy where the function has a ``request`` of its own


class _Bound(cst.CSTVisitor):
    """The names one function binds other than as parameters, and those it declares ``global``/``nonlocal``."""

    def __init__(self, function: cst.CSTNode):
        self.function = function
        self.names: set[str] = set()
        self.declared: set[str] = set()

    def _target(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.names.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target(element.value)
        elif isinstance(target, cst.StarredElement):
            self._target(target.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if node is self.function:
            return True
        self.names.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return node is self.function

    def visit_CompFor(self, node: cst.CompFor) -> None:
        return None  # its target is the comprehension's own (``_Mark``); a walrus inside binds here

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._target(target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self._target(node.target)

    def visit_Import(self, node: cst.Import) -> bool:  # ``import flask`` in a function binds Flask's, hiding nothing
        return not all((dotted(a.name) or "").split(".")[0] in FLASK_MODULES for a in node.names)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:  # ``from flask import request`` there: Flask's too
        return bool(node.relative) or (dotted(node.module) or "").split(".")[0] not in FLASK_MODULES

    def visit_AsName(self, node: cst.AsName) -> None:  # with ... as x, except ... as x, import ... as x
        self._target(node.name)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None:
            self.names.add(cst.Module([]).code_for_node(node.name).split(".")[0])

    def visit_Global(self, node: cst.Global) -> None:
        self.declared.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.declared.update(item.name.value for item in node.names)


def _bindings(function: cst.FunctionDef) -> tuple[frozenset[str], frozenset[str]]:
    """(locals other than parameters, names declared ``global``/``nonlocal``) of ``function``."""
    found = _Bound(function)
    function.visit(found)
    return frozenset(found.names - found.declared), frozenset(found.declared)


def bound(function: cst.FunctionDef) -> frozenset[str]:
    """The names ``function`` binds as locals other than its parameters."""
    return _bindings(function)[0]


def params(params: cst.Parameters) -> set[str]:
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return {p.name.value for p in every}


class _Mark(cst.CSTVisitor):
    """Every Name node of ``candidates`` read or bound where a function's own binding of it hides the module's."""

    def __init__(self, candidates: set[str]):
        self.candidates = candidates
        self.stack: list[frozenset[str]] = [frozenset()]
        self.ids: set[int] = set()

    def _scope(self, body: cst.CSTNode, hidden: frozenset[str]) -> None:
        self.stack.append(hidden)
        body.visit(self)
        self.stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for decorator in node.decorators:  # decorators, defaults and annotations: read where the def is
            decorator.visit(self)
        node.params.visit(self)
        if node.returns is not None:
            node.returns.visit(self)
        own, declared = _bindings(node)
        outer = self.stack[-1] - params(node.params) - declared
        self._scope(node.body, frozenset(outer | (own & self.candidates)))
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        node.params.visit(self)
        self._scope(node.body, frozenset(self.stack[-1] - params(node.params)))
        return False

    def _comprehension(self, node: cst.BaseComp | cst.DictComp) -> bool:
        targets: set[str] = set()
        clause = node.for_in
        while clause is not None:
            probe = _Bound(node)
            probe._target(clause.target)
            targets |= probe.names
            clause = clause.inner_for_in
        self.stack.append(frozenset(self.stack[-1] | (targets & self.candidates)))
        for child in node.children:
            child.visit(self)
        self.stack.pop()
        return False

    def visit_ListComp(self, node: cst.ListComp) -> bool:
        return self._comprehension(node)

    def visit_SetComp(self, node: cst.SetComp) -> bool:
        return self._comprehension(node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> bool:
        return self._comprehension(node)

    def visit_DictComp(self, node: cst.DictComp) -> bool:
        return self._comprehension(node)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.stack[-1]:
            self.ids.add(id(node))


def hidden(module: cst.Module, candidates: set[str]) -> set[int]:
    """The ids of ``module``'s Name nodes of ``candidates`` (Flask's local names) that a local binding hides."""
    if not candidates:
        return set()
    mark = _Mark(set(candidates))
    module.visit(mark)
    return mark.ids


def fresh(name: str, function: cst.FunctionDef) -> str:
    """A name for the request in ``function`` where ``name`` is one of its own locals."""
    taken = {n.value for n in _names(function)}
    candidate = f"http_{name}"
    while candidate in taken:
        candidate += "_"
    return candidate


def _names(node: cst.CSTNode) -> list[cst.Name]:
    found: list[cst.Name] = []

    class Collect(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.append(n)

    node.visit(Collect())
    return found
