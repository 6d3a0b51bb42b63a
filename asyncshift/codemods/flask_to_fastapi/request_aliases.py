"""Local names a function binds to the request: ``if req is None: req = request``, ``current = r``.

Flask's attributes read through such a name (``req.remote_addr``, ``req.access_route``) are rewritten as the
request's own (``request_outside_views.request_attribute``): the name holds the helper's request proxy or the
Starlette ``Request`` a caller handed (``get_ip(req=request)``), and both answer Starlette's names. A name bound
any other way in the function (a loop, ``with ... as``, another assignment) is not an alias.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi.conversion import Conversion, Scope


class _Bindings(cst.CSTVisitor):
    """The names one function binds to the request, and those it binds otherwise (nested functions left out)."""

    def __init__(self, tr: Conversion, function: cst.FunctionDef, scope: Scope):
        self.tr, self.function, self.scope = tr, function, scope
        self.to_request: set[str] = set()
        self.otherwise: set[str] = set()

    def _is_request(self, value: cst.BaseExpression) -> bool:
        if not isinstance(value, cst.Name):
            return False
        if self.tr.names.resolve(value) == "flask.request":
            return True
        return value.value in self.to_request or (value.value == self.scope.request and self.scope.has_request)

    def _target(self, target: cst.BaseExpression, request: bool) -> None:
        if isinstance(target, cst.Name):
            (self.to_request if request else self.otherwise).add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target(element.value, False)
        elif isinstance(target, cst.StarredElement):
            self._target(target.value, False)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if node is not self.function:
            self.otherwise.add(node.name.value)
        return node is self.function

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.otherwise.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        request = self._is_request(node.value)
        for target in node.targets:
            self._target(target.target, request)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target, False)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target, False)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target, False)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target, False)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._target(node.target, False)

    def visit_AsName(self, node: cst.AsName) -> None:  # with ... as x, except ... as x, import ... as x
        self._target(node.name, False)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None:
            self.otherwise.add(str(cst.Module([]).code_for_node(node.name)).split(".")[0])

    def visit_Global(self, node: cst.Global) -> None:
        self.otherwise.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.otherwise.update(item.name.value for item in node.names)


def collect(tr: Conversion, function: cst.FunctionDef, scope: Scope, outer: Scope | None) -> frozenset[str]:
    """The request's local names in ``function`` (and those of the function it is nested in, unless rebound)."""
    bindings = _Bindings(tr, function, scope)
    function.visit(bindings)
    params = function.params
    own = {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}
    own |= {p.name.value for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)}
    inherited = (outer.request_aliases if outer is not None else frozenset()) - own
    aliases = (bindings.to_request | (inherited - bindings.to_request)) - bindings.otherwise
    return frozenset(name for name in aliases if tr.names.resolve(cst.Name(name)) is None and name != scope.request)
