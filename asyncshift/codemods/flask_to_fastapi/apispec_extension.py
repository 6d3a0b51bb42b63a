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
from codemods.flask_to_fastapi import import_ports
from codemods.flask_to_fastapi.import_ports import Port
from codemods.flask_to_fastapi.imports import HELPER_MODULE
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
PORTS = Port("flask_apispec", PORT, frozenset(PORTED), "FlaskApiSpec", DOCS, KEPT)


def rewrite_imports(module: cst.Module, notes: Notes, prefix: str | None) -> cst.Module:
    """Imports of ``flask_apispec`` (and its submodules) to the helper's port; a TODO where it builds the docs."""
    said = (
        "flask-apispec's use_kwargs/marshal_with run on the helper's port (_flask_compat/apispec.py): "
        "same loading (the app's webargs) and answers"
    )
    return import_ports.rewrite_imports(PORTS, module, notes, prefix, said)[0]


def _is_wrapping(qualified: str | None) -> bool:
    """flask-apispec's ``use_kwargs``/``marshal_with``, or the port's (a module converted already imports that)."""
    if not qualified:
        return False
    head, _, name = qualified.rpartition(".")
    return name in WRAPPING and PORTS.names_port(head)


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
