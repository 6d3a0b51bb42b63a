"""Flask imports inside a function or class (``def generate_csrf_token(self, field): from flask import session``).

The module's own imports are rewritten as a whole (``imports.rewrite``); one inside a function stayed, and bound
Flask's ``session`` (or ``request``, ``url_for``...) over the helper's: read outside Flask's request context (a
WTForms CSRF class, a model method), it raised "Working outside of request context". Each name the module now
imports from the helper or from FastAPI, no longer reads at all, or that is one of Flask's context globals (each
use is now the function's request, ``request.session``, or the helper's proxy) is dropped from the nested import;
a name still needed keeps it.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi.names import FlaskNames, dotted

# every use was rewritten: the function's request (``request.session``) or the helper's proxy, imported at the top
CONTEXT_GLOBALS = ("flask.request", "flask.session", "flask.g", "flask.current_app")


def rewrite(module: cst.Module, names: FlaskNames, provided: set[str], used: set[str], is_flask) -> cst.Module:
    """``provided``: names the module imports at its top from the helper or FastAPI; ``used``: names it reads;
    ``is_flask``: ``imports._flask_import``."""

    class Nested(cst.CSTTransformer):
        def __init__(self) -> None:
            self.depth = 0

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.depth += 1

        def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
            self.depth -= 1
            return updated

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self.depth += 1

        def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
            self.depth -= 1
            return updated

        def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom):
            if not self.depth or isinstance(updated.names, cst.ImportStar) or not is_flask(original, names):
                return updated
            kept = [
                alias
                for alias in updated.names
                if (local := dotted(alias.asname.name) if alias.asname else dotted(alias.name)) in used
                and local not in provided
                and names.members.get(local) not in CONTEXT_GLOBALS
            ]
            if len(kept) == len(updated.names):
                return updated
            if not kept:
                return cst.RemoveFromParent()
            return updated.with_changes(names=[*kept[:-1], kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)])

    return module.visit(Nested())
