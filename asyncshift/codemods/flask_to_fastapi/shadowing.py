"""Local names that hide Flask's: ``request = Model.find_by_id(id)`` in a function is that function's own ``request``.

Python makes a name bound anywhere in a function (an assignment, a ``for``/``with``/``except`` target, an import, a
nested ``def``) local to the whole function, and to the functions nested in it that do not bind it themselves: there
Flask's ``request`` (``g``, ``session``...) is never read through that name, so nothing read through it is
rewritten (``FlaskNames.resolve`` answers None for those nodes) and the request the conversion needs there (a
view's parameter, the helper's proxy handed to ``render_template``) takes another name. libcst's scope analysis
answers which binding a name reaches, as ``module_globals`` asks it. A parameter is not counted: a helper's
``request`` parameter is what its callers hand it, Flask's request as often as not (``passing``); nor is Flask's
own import in a function (``from flask import request`` there is Flask's request).
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
import libcst.matchers as m
from libcst.metadata import Assignment, ComprehensionScope, FunctionScope, MetadataWrapper, ScopeProvider

from codemods.flask_to_fastapi.names import FLASK_MODULES, dotted

HELPER_REQUEST = "request_helper"  # the helper's request proxy where the function has a ``request`` of its own

_read: list[Mapping] = [{}]  # the scopes of the module ``hidden`` read last: ``bound`` finds its functions there


def _flask(module: cst.BaseExpression | None) -> bool:
    return (dotted(module) or "").split(".")[0] in FLASK_MODULES


def _own(assignment) -> bool:
    """A function's (or comprehension's) binding of its own: not a parameter, not an import of Flask's."""
    if not isinstance(assignment, Assignment) or not isinstance(assignment.scope, (FunctionScope, ComprehensionScope)):
        return False
    node = assignment.node
    if isinstance(node, cst.Import):  # ``import flask`` in a function binds Flask's, hiding nothing
        return not all(_flask(a.name) for a in node.names)
    if isinstance(node, cst.ImportFrom):  # ``from flask import request`` there: Flask's too
        return bool(node.relative) or not _flask(node.module)
    return not isinstance(node, cst.Param)


def _deleted(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _deleted(element.value)]
    return [target.value] if isinstance(target, cst.Name) else []


def _scopes(module: cst.Module) -> Mapping:
    """libcst's scopes, with two bindings it leaves out that Python makes local: ``del x`` and a walrus in a
    comprehension (the enclosing function's)."""
    scopes = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    for node, scope in list(scopes.items()):
        if isinstance(node, cst.NamedExpr) and isinstance(node.target, cst.Name):
            while isinstance(scope, ComprehensionScope):
                scope = scope.parent
            if isinstance(scope, FunctionScope):
                scope.record_assignment(node.target.value, node)
        elif isinstance(node, cst.Del) and isinstance(scope, FunctionScope):
            for name in _deleted(node.target):
                scope.record_assignment(name, node)
    return scopes


def hidden(module: cst.Module, candidates: set[str]) -> set[int]:
    """The ids of ``module``'s Name nodes of ``candidates`` (Flask's local names) that a local binding hides."""
    _read[0] = scopes = _scopes(module) if candidates else {}
    return {
        id(node)
        for node, scope in scopes.items()
        if isinstance(node, cst.Name)
        and node.value in candidates
        and scope is not None
        and any(_own(a) for a in scope[node.value])
    }


def bound(function: cst.FunctionDef) -> frozenset[str]:
    """The names ``function`` binds as locals other than its parameters (``global``/``nonlocal`` ones are not)."""
    scope = _read[0].get(function.body) or _scopes(cst.Module([function]))[function.body]
    return frozenset(a.name for a in scope.assignments if a.scope is scope and _own(a))


def params(params: cst.Parameters) -> set[str]:
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return {p.name.value for p in every}


def fresh(name: str, function: cst.FunctionDef) -> str:
    """A name for the request in ``function`` where ``name`` is one of its own locals."""
    taken = {n.value for n in m.findall(function, m.Name())}
    candidate = f"http_{name}"
    while candidate in taken:
        candidate += "_"
    return candidate
