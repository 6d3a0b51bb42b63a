"""flask-apispec on the converted app: its imports point at the helper's port; the views it wraps keep their returns.

``from flask_apispec import use_kwargs, marshal_with`` becomes ``from _flask_compat.apispec import ...`` (the same
decorators over the current request, ``_flask_compat/apispec.py``): the port loads the schemas with the app's
webargs and shows FastAPI a signature without what they feed (else each would be read as a query parameter).
A view under ``@use_kwargs``/``@marshal_with`` returns what flask-apispec dumps and formats as JSON (a model, a
dict, ``('', 204)``): rewriting its ``return`` into a response would skip the schema.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import TODO_MARKER, Notes
from codemods.flask_to_fastapi.imports import HELPER_MODULE, import_line
from codemods.flask_to_fastapi.names import dotted

PORT = f"{HELPER_MODULE}.apispec"
PORTED = {"use_kwargs", "marshal_with", "doc", "FlaskApiSpec"}
WRAPPING = {"use_kwargs", "marshal_with"}
DOCS = (
    f"{TODO_MARKER} flask-apispec's /swagger/ now shows FastAPI's OpenAPI document (/docs, read from the views' "
    "signatures, not from the marshmallow schemas); end state: pydantic models as parameters and response_model"
)
KEPT = (
    f"{TODO_MARKER} flask-apispec kept here (it reads flask.request: MethodResource and the rest have no port); "
    f"use_kwargs, marshal_with, doc and FlaskApiSpec come from the helper's port ({PORT})"
)


def _is_apispec(module: str) -> bool:
    return module == "flask_apispec" or module.startswith("flask_apispec.")


def rewrite_imports(module: cst.Module, notes: Notes, prefix: str | None) -> cst.Module:
    """Imports of ``flask_apispec`` (and its submodules) to the helper's port; a TODO where it builds the docs."""
    if "flask_apispec" not in module.code:
        return module
    porting = _Porting(prefix, module.code)
    ported = module.visit(porting)
    if porting.ported:
        notes.note(
            "flask-apispec's use_kwargs/marshal_with run on the helper's port (_flask_compat/apispec.py): "
            "same loading (the app's webargs) and answers"
        )
    return ported


class _Porting(cst.CSTTransformer):
    def __init__(self, prefix: str | None, code: str):
        self.prefix, self.ported = prefix, False
        self.said = {m for m in (KEPT, DOCS) if m in code}  # one of each per module (a second run adds none)

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        small = updated.body[0] if len(updated.body) == 1 else None
        if isinstance(small, cst.Import) and any(_is_apispec(dotted(a.name) or "") for a in small.names):
            return self._marked(updated, KEPT)
        if not (isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative):
            return updated
        if not _is_apispec(dotted(small.module) or "") or isinstance(small.names, cst.ImportStar):
            return updated
        if not all(dotted(a.name) in PORTED for a in small.names):
            return self._marked(updated, KEPT)
        listed = ", ".join(
            f"{dotted(a.name)} as {dotted(a.asname.name)}" if a.asname else dotted(a.name) for a in small.names
        )
        line = import_line(self.prefix, PORT, listed).with_changes(leading_lines=updated.leading_lines)
        self.ported = True
        return self._marked(line, DOCS) if any(dotted(a.name) == "FlaskApiSpec" for a in small.names) else line

    def _marked(self, line: cst.BaseStatement, message: str) -> cst.BaseStatement:
        if message in self.said:
            return line
        self.said.add(message)
        return line.with_changes(leading_lines=[*line.leading_lines, cst.EmptyLine(comment=cst.Comment(message))])


def _is_wrapping(qualified: str | None) -> bool:
    """flask-apispec's ``use_kwargs``/``marshal_with``, or the port's (a module converted already imports that)."""
    if not qualified:
        return False
    head, _, name = qualified.rpartition(".")
    return name in WRAPPING and (_is_apispec(head) or head == PORT or head.endswith(f".{PORT}"))


def marshals(tr, function: cst.FunctionDef) -> bool:
    """Whether a decorator of the view ``function`` is flask-apispec's ``use_kwargs`` or ``marshal_with``."""
    if tr.resolver is None or not function.decorators:
        return False
    for decorator in function.decorators:
        node = decorator.decorator
        local = dotted(node.func if isinstance(node, cst.Call) else node)
        if local and _is_wrapping(tr.resolver.qualify(local)):
            return True
    return False
