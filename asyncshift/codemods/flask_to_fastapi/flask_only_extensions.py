"""Extensions that accept only a real ``flask.Flask`` (and Flask-SQLAlchemy's ``db``) are built on a Flask app.

``from flask_user import UserManager`` gets ``UserManager = flask_extension(UserManager)`` after it, with a TODO:
``UserManager(app, db, User)`` (or ``init_app``) on the converted app builds on the Flask app beside it, which
serves what no FastAPI route does (the extension's own views), with the converted ``db`` shown as a
Flask-SQLAlchemy one (``_flask_compat/flask_only.py``). Given the converted app itself, the extension raised at
import (TypeError: not a ``flask.Flask``; then ConfigError: not Flask-SQLAlchemy's ``db``).
"""

from __future__ import annotations

import libcst as cst

from codemods.base import TODO_MARKER, Notes
from codemods.flask_to_fastapi.imports import HELPER_MODULE, import_line
from codemods.flask_to_fastapi.names import dotted

PORT = f"{HELPER_MODULE}.flask_only"
# extension module -> (its name, the classes that check isinstance(app, flask.Flask) and take the app)
FLASK_ONLY = {
    "flask_user": ("Flask-User", {"UserManager"}),
}
ON_FLASK = (
    f"{TODO_MARKER} {{name}} accepts only a real flask.Flask: it runs on a Flask app that answers what no FastAPI "
    "route does (its own views and templates), with the converted db as Flask-SQLAlchemy's; its decorators and "
    "current_user read Flask's request context; end state: FastAPI dependencies for its login and roles"
)


def host_flask_only(module: cst.Module, notes: Notes, prefix: str | None) -> cst.Module:
    """``Cls = flask_extension(Cls)`` after each import of such an extension's class, with the helper's import."""
    if "flask_extension(" in module.code or not any(m in module.code for m in FLASK_ONLY):
        return module
    hosting = _Hosting(prefix)
    hosted = module.visit(hosting)
    for name in sorted(hosting.hosted):
        notes.note(f"{name} accepts only a real Flask app: it runs on the Flask app beside the converted one (TODO)")
    return hosted


class _Hosting(cst.CSTTransformer):
    def __init__(self, prefix: str | None):
        self.prefix, self.hosted = prefix, set()

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(body=self._host(updated.body))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated.with_changes(body=self._host(updated.body))

    def _host(self, statements) -> list:
        body = []
        for statement in statements:
            body.append(statement)
            small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
            if not (isinstance(small, cst.ImportFrom) and small.module and not small.relative):
                continue
            top = (dotted(small.module) or "").split(".")[0]
            if top not in FLASK_ONLY or isinstance(small.names, cst.ImportStar):
                continue
            name, classes = FLASK_ONLY[top]
            for alias in small.names:
                if dotted(alias.name) not in classes:
                    continue
                local = alias.asname.name.value if alias.asname else dotted(alias.name)
                todo = cst.TrailingWhitespace(cst.SimpleWhitespace("  "), cst.Comment(ON_FLASK.format(name=name)))
                line = cst.parse_statement(f"{local} = flask_extension({local})\n")
                body += [import_line(self.prefix, PORT, "flask_extension"), line.with_changes(trailing_whitespace=todo)]
                self.hosted.add(name)
        return body
