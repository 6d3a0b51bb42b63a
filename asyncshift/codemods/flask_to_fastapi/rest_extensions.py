"""REST extensions (flask-restx, flask-restplus, Flask-RESTful, flask-smorest) stay on Flask: their ``Api`` is hosted.

``from flask_restx import Api`` gets ``Api = flask_hosted(Api)`` after it: an ``Api(app)``, ``Api(bp)`` or
``api.init_app(app)`` on the converted app or blueprint builds on a Flask twin of it, served for what no
FastAPI route answers. A module of Resource classes (it imports the extension and builds no app or
blueprint) runs inside that Flask app, so it is left as it is, with a TODO saying so.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from codemods.base import TODO_MARKER, Notes
from codemods.flask_to_fastapi.imports import HELPER_MODULE
from codemods.flask_to_fastapi.names import dotted
from codemods.flask_to_fastapi.wrapped_imports import WrapImports, Wrapping

EXTENSIONS = ("flask_restx", "flask_restplus", "flask_restful", "flask_smorest")
HOSTED = (
    f"{TODO_MARKER} {{name}} still runs on Flask: its Api is served by a Flask app that answers what no "
    "FastAPI route does (hooks and error handlers of the FastAPI app do not apply to it); end state: each "
    "Resource method a FastAPI route"
)
KEPT = (
    f"{TODO_MARKER} this module runs on Flask, inside the Flask app that serves {{name}}'s Api "
    "(flask.request, g and current_app are Flask's here); end state: each Resource method a FastAPI route"
)
NAMES = {
    "flask_restx": "flask-restx",
    "flask_restplus": "flask-restplus",
    "flask_restful": "Flask-RESTful",
    "flask_smorest": "flask-smorest",
}
WRAPPINGS = {
    top: Wrapping(frozenset({"Api"}), HELPER_MODULE, "flask_hosted", HOSTED.format(name=name))
    for top, name in NAMES.items()
}
ROUTE_DECORATORS = ("route", "get", "post", "put", "delete", "patch")
ROUTES_METHOD_VIEWS = {"flask_smorest"}  # its Blueprint routes MethodViews: there they are its Resources


def extension_of(module: cst.Module) -> str | None:
    """The REST extension a module imports from (``flask_restx``), or None."""
    for statement in module.body:
        for small in getattr(statement, "body", ()) if isinstance(statement, cst.SimpleStatementLine) else ():
            names = []
            if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
                names = [dotted(small.module) or ""]
            elif isinstance(small, cst.Import):
                names = [dotted(a.name) or "" for a in small.names]
            for name in names:
                if name.split(".")[0] in EXTENSIONS:
                    return name.split(".")[0]
    return None


def routed_by(module: cst.Module, objects: set[str]) -> bool:
    """Whether every route decorator of the module is a method of an unconverted extension's object of the run
    (``@api.route(bp, "/change-password", methods=["POST"])``, ``api`` the project's subclass of Flask-RESTful's
    ``Api``): those views are registered by it, on the Flask app hosting it, so they run there."""
    owners = [
        dotted(d.decorator.func.value)
        for d in m.findall(module, m.Decorator(decorator=m.Call(func=m.Attribute(attr=m.Name()))))
        if isinstance(d, cst.Decorator) and d.decorator.func.attr.value in ROUTE_DECORATORS
    ]
    return bool(owners) and all(owner in objects for owner in owners)


def keep_on_flask(module: cst.Module, notes: Notes) -> cst.Module:
    """A Resource module, left on Flask: a TODO at its top, and its ``Api`` hosted if it builds one."""
    extension = extension_of(module)
    name = NAMES[extension] if extension else "a REST extension"
    message = KEPT.format(name=name)
    notes.note(f"{name}: a module of its Resources stays on Flask, served by a Flask app (see TODO)")
    if message in module.code:
        return module
    body = list(module.body)
    at = _after_docstring(body)
    first = body[at] if at < len(body) else None
    comment = cst.EmptyLine(comment=cst.Comment(message))
    if first is None:
        return module.with_changes(footer=[*module.footer, comment])
    body[at] = first.with_changes(leading_lines=[*first.leading_lines, comment])
    return module.with_changes(body=body)


def host_apis(module: cst.Module, notes: Notes, prefix: str | None) -> cst.Module:
    """``Api = flask_hosted(Api)`` after each import of a REST extension's ``Api``, with the helper's import."""
    if "flask_hosted(" in module.code:
        return module
    hosting = WrapImports(prefix, WRAPPINGS)
    hosted = module.visit(hosting)
    if hosting.wrapped:
        notes.note("a REST extension's Api stays on Flask (flask_hosted): see the TODO at its import")
    return hosted


def _after_docstring(body: list) -> int:
    for index, statement in enumerate(body):
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString)):
            return index
    return len(body)
