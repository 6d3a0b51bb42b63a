"""MethodView and View classes known through their parents: ``class ItemAPI(BaseAPI)`` where ``BaseAPI``
(here or in another module) derives from ``flask.views.MethodView`` answers the methods of both.

Flask gathers a subclass's HTTP methods from its whole hierarchy; the conversion must route them too.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from codemods.flask_to_fastapi.names import dotted

HTTP_METHODS = ("get", "post", "put", "delete", "patch", "head", "options")


def own_methods(node: cst.ClassDef) -> tuple[list[str], bool]:
    """The HTTP methods a class body defines (``["GET", "POST"]``) and whether it defines a dispatch_request
    answering by itself (one calling ``super().dispatch_request`` runs before a MethodView's methods: ``chains``)."""
    defined = [s.name.value for s in node.body.body if isinstance(s, cst.FunctionDef)]
    return [d.upper() for d in defined if d in HTTP_METHODS], "dispatch_request" in defined and not chains(node)


def chains(node: cst.ClassDef) -> bool:
    """Whether the class body's ``dispatch_request`` calls ``super().dispatch_request`` (a mixin's or a MethodView's
    override: it runs, then the MethodView calls the request's method)."""
    super_dispatch = m.Call(func=m.Attribute(value=m.Call(func=m.Name("super")), attr=m.Name("dispatch_request")))
    return any(
        isinstance(statement, cst.FunctionDef)
        and statement.name.value == "dispatch_request"
        and bool(m.findall(statement, super_dispatch))
        for statement in node.body.body
    )


def assigns(node: cst.ClassDef, attribute: str) -> bool:
    """Whether the class body assigns ``attribute`` (``decorators = [auth_required]``)."""
    return any(
        isinstance(statement, cst.SimpleStatementLine)
        and any(
            isinstance(small, cst.Assign) and any(dotted(t.target) == attribute for t in small.targets)
            for small in statement.body
        )
        for statement in node.body.body
    )


def decorator_list(node: cst.ClassDef, known: dict[str, list] | None = None) -> list[cst.BaseExpression]:
    """The elements of the class body's ``decorators = [login_required, templated()]`` (a list or tuple), or of
    ``Base.decorators + [templated()]`` (``known``: the lists of the module's classes read so far)."""
    found: list[cst.BaseExpression] = []
    for statement in node.body.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Assign) and any(dotted(t.target) == "decorators" for t in small.targets):
                found = _elements(small.value, known or {})
    return found


def _elements(value: cst.BaseExpression, known: dict[str, list]) -> list[cst.BaseExpression]:
    if isinstance(value, (cst.List, cst.Tuple)):
        return [e.value for e in value.elements if isinstance(e, cst.Element)]
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
        return _elements(value.left, known) + _elements(value.right, known)
    if isinstance(value, cst.Attribute) and value.attr.value == "decorators":
        return list(known.get(dotted(value.value) or "", ()))
    return []


def inherited(methods: list[str], parents: list[list[str]]) -> list[str]:
    """A subclass's methods: its own first, then its parents' (in base order), each once."""
    merged = list(methods)
    for parent in parents:
        merged += [m for m in parent if m not in merged]
    return merged


def classes_of(module: cst.Module, qualify) -> dict[str, tuple[list[str], list[str], bool]]:
    """Top-level classes by qualified name: their qualified bases, own HTTP methods and dispatch_request."""
    found = {}
    for statement in module.body:
        if isinstance(statement, cst.ClassDef):
            bases = [qualify(d) for d in (dotted(b.value) for b in statement.bases) if d]
            methods, dispatches = own_methods(statement)
            found[qualify(statement.name.value)] = ([b for b in bases if b], methods, dispatches)
    return found


def close(classes: dict, method_views: dict[str, list[str]], dispatching: set[str]) -> None:
    """Add to ``method_views`` (and ``dispatching``) every class whose parent is one, across modules."""
    changed = True
    while changed:
        changed = False
        for name, (bases, methods, dispatches) in classes.items():
            parents = [b for b in bases if b in method_views]
            if name is None or name in method_views or not parents:
                continue
            method_views[name] = inherited(methods, [method_views[p] for p in parents])
            if not methods and (dispatches or any(p in dispatching for p in parents)):
                dispatching.add(name)
            changed = True
