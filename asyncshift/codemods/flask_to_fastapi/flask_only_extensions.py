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
from codemods.flask_to_fastapi.imports import HELPER_MODULE
from codemods.flask_to_fastapi.wrapped_imports import WrapImports, Wrapping

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
WRAPPINGS = {
    top: Wrapping(frozenset(classes), PORT, "flask_extension", ON_FLASK.format(name=name))
    for top, (name, classes) in FLASK_ONLY.items()
}


def host_flask_only(module: cst.Module, notes: Notes, prefix: str | None) -> cst.Module:
    """``Cls = flask_extension(Cls)`` after each import of such an extension's class, with the helper's import."""
    if "flask_extension(" in module.code or not any(m in module.code for m in FLASK_ONLY):
        return module
    hosting = WrapImports(prefix, WRAPPINGS)
    hosted = module.visit(hosting)
    for name in sorted(FLASK_ONLY[top][0] for top in hosting.wrapped):
        notes.note(f"{name} accepts only a real Flask app: it runs on the Flask app beside the converted one (TODO)")
    return hosted
