"""A Flask extension's decorator on a converted view (``@jwt_required``) runs in a Flask request context.

An extension with no FastAPI conversion (Flask-JWT-Extended) keeps its decorators, which read ``flask.request``:
on a FastAPI view each request failed with "Working outside of request context". On a view (a function under a
route decorator), a decorator imported from such an extension becomes ``@flask_request(jwt_required)``
(``_flask_compat/flask_request.py``): the extension's wrapper and the view run in a Flask request context built
from the current request, so what the extension keeps there (``current_user``) is read in the view as before.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import Notes
from codemods.flask_to_fastapi.foreign_extensions import CONVERTED
from codemods.flask_to_fastapi.imports import HELPER_MODULE, import_line
from codemods.flask_to_fastapi.names import dotted

PORT = f"{HELPER_MODULE}.flask_request"
ROUTES = {"get", "post", "put", "patch", "delete", "head", "options", "api_route", "route"}


def _foreign_names(module: cst.Module) -> set[str]:
    """Names the module imports from Flask extensions that have no conversion (``from flask_jwt_extended import``)."""
    found = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
                top = (dotted(small.module) or "").split(".")[0]
                if top.startswith("flask_") and top not in CONVERTED and not isinstance(small.names, cst.ImportStar):
                    found.update(dotted(a.asname.name if a.asname else a.name) or "" for a in small.names)
    return found - {""}


def _root(node: cst.BaseExpression) -> str | None:
    node = node.func if isinstance(node, cst.Call) else node
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _is_route(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ROUTES


def rewrite(module: cst.Module, notes: Notes, prefix: str | None) -> cst.Module:
    """Views' decorators from unconverted Flask extensions wrapped in ``flask_request(...)``."""
    if "flask_" not in module.code:
        return module
    names = _foreign_names(module)
    if not names:
        return module
    wrapping = _Wrapping(names)
    wrapped = module.visit(wrapping)
    if not wrapping.wrapped:
        return module
    notes.note(
        f"{', '.join(sorted(wrapping.wrapped))} on views: in a Flask request context (_flask_compat/flask_request.py)"
    )
    return _with_import(wrapped, prefix)


class _Wrapping(cst.CSTTransformer):
    def __init__(self, names: set[str]):
        self.names, self.wrapped = names, set()

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        if not any(_is_route(d.decorator) for d in updated.decorators):
            return updated
        decorators = []
        for d in updated.decorators:
            root = _root(d.decorator)
            if root in self.names and not _is_route(d.decorator):
                self.wrapped.add(root)
                d = d.with_changes(decorator=cst.Call(cst.Name("flask_request"), [cst.Arg(d.decorator)]))
            decorators.append(d)
        return updated.with_changes(decorators=decorators)


def _with_import(module: cst.Module, prefix: str | None) -> cst.Module:
    """``from <prefix>_flask_compat.flask_request import flask_request`` after the module's last top import."""
    line = import_line(prefix, PORT, "flask_request")
    body = list(module.body)
    last = max(
        (
            i
            for i, s in enumerate(body)
            if isinstance(s, cst.SimpleStatementLine) and isinstance(s.body[0], (cst.Import, cst.ImportFrom))
        ),
        default=-1,
    )
    body.insert(last + 1, line)
    return module.with_changes(body=body)
