"""Flask extensions without a helper: a TODO at their import naming them; OpenTelemetry's to its FastAPI twin.

Their ``init_app(app)`` runs on the app's Flask-shaped face (``_flask_compat/face.py``), so nothing fails
at import; what they do per request may not happen, and the TODO says so where the extension is named.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import TODO_MARKER, Notes
from codemods.flask_to_fastapi import own_packages
from codemods.flask_to_fastapi.names import dotted
from codemods.modules import module_name

CONVERTED = {"flask", "flask_login", "flask_sqlalchemy", "flask_wtf", "flask_httpauth", "flask_cors", "flask_apispec"}
NAMES = {
    "flask_apscheduler": "Flask-APScheduler",
    "flask_restful": "Flask-RESTful",
    "flask_restx": "flask-restx",
    "flask_restplus": "flask-restplus",
    "flask_smorest": "flask-smorest",
    "flask_socketio": "Flask-SocketIO",
    "flask_debugtoolbar": "Flask-DebugToolbar",
    "flask_pagedown": "Flask-PageDown",
    "flask_jwt_extended": "Flask-JWT-Extended",
}
ADVICE = {
    "flask_migrate": "`flask db` needs the Flask app: run Alembic itself (alembic upgrade head) with the same env.py",
    "flask_restful": "its Resources run on a Flask app the FastAPI app hands unmatched requests (flask_hosted)",
    "flask_restx": "its Resources run on a Flask app the FastAPI app hands unmatched requests (flask_hosted)",
    "flask_restplus": "its Resources run on a Flask app the FastAPI app hands unmatched requests (flask_hosted)",
    "flask_smorest": "its Blueprints run on a Flask app the FastAPI app hands unmatched requests (flask_hosted)",
    "flask_socketio": "use python-socketio's ASGIApp mounted on the FastAPI app",
    "flask_user": "its UserManager runs on a Flask app beside the converted one (flask_only); its decorators "
    "and current_user read Flask's request context",
}
GENERIC = (
    "init_app(app) runs on the app's Flask-shaped face (config, extensions, jinja_env, hooks); "
    "its hooks run in Flask's request context, a failing one logged and skipped: check what it does for this app"
)
OTEL_FLASK, OTEL_FASTAPI = "opentelemetry.instrumentation.flask", "opentelemetry.instrumentation.fastapi"
OTEL_REQUIREMENT = "opentelemetry-instrumentation-fastapi>=0.30b0"


def name_of(module: str) -> str:
    """``flask_mail`` -> ``Flask-Mail`` (the distribution's name as people write it)."""
    return NAMES.get(module) or "-".join(part.capitalize() for part in module.split("_"))


def _extension(node: cst.BaseSmallStatement, own: frozenset[str] = frozenset()) -> str | None:
    modules = []
    if isinstance(node, cst.Import):
        modules = [dotted(a.name) or "" for a in node.names]
    elif isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
        modules = [dotted(node.module) or ""]
    for module in modules:
        top = module.split(".")[0]
        if top.startswith("flask_") and top not in CONVERTED and top not in own:  # the project's own: no extension
            return top
    return None


class _Foreign(cst.CSTTransformer):
    def __init__(self, notes: Notes):
        self.notes, self.marked = notes, set()  # one TODO per extension and module
        name = module_name(notes.path, notes.source) if getattr(notes, "path", None) else ""
        self.own = own_packages.of_module(name, getattr(notes, "project", None))

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        line = self._otel(updated)
        top = next((t for t in (_extension(s, self.own) for s in line.body) if t), None)
        if top is None or top in self.marked or TODO_MARKER in cst.Module([]).code_for_node(line):
            return line
        self.marked.add(top)
        message = f"{TODO_MARKER} {name_of(top)}: {ADVICE.get(top, GENERIC)}"
        self.notes.note(f"{name_of(top)} has no FastAPI conversion: see the TODO at its import")
        if line.trailing_whitespace.comment is None:
            newline = line.trailing_whitespace.newline
            comment = cst.TrailingWhitespace(cst.SimpleWhitespace("  "), cst.Comment(message), newline)
            return line.with_changes(trailing_whitespace=comment)
        return line.with_changes(leading_lines=[*line.leading_lines, cst.EmptyLine(comment=cst.Comment(message))])

    def _otel(self, line: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
        """``from opentelemetry.instrumentation.flask import FlaskInstrumentor`` -> the FastAPI instrumentor."""
        small = line.body[0]
        if not (isinstance(small, cst.ImportFrom) and small.module and dotted(small.module) == OTEL_FLASK):
            return line
        if isinstance(small.names, cst.ImportStar):
            return line
        if hasattr(self.notes, "requirements"):
            self.notes.requirements.add(OTEL_REQUIREMENT)
        self.notes.note("OpenTelemetry: FlaskInstrumentor became FastAPIInstrumentor (same spans, ASGI middleware)")
        module = cst.parse_expression(OTEL_FASTAPI)
        return line.with_changes(body=[small.with_changes(module=module), *line.body[1:]])

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value="FastAPIInstrumentor") if updated.value == "FlaskInstrumentor" else updated


def rewrite(module: cst.Module, notes: Notes) -> cst.Module:
    """TODOs at the imports of extensions without a helper; OpenTelemetry's Flask instrumentor to FastAPI's."""
    code = module.code
    if "flask_" not in code and OTEL_FLASK not in code:
        return module
    if OTEL_FLASK not in code:
        return module.visit(_NoRename(notes))
    return module.visit(_Foreign(notes))


class _NoRename(_Foreign):
    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated
