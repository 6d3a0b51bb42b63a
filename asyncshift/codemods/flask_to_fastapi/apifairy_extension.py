"""APIFairy on the converted app: its imports point at the helper's port, and the views it marshals keep their returns.

``from apifairy import body, response`` becomes ``from _flask_compat.apifairy import body, response`` (the same
decorators over the current request, ``_flask_compat/apifairy.py``). A view under ``@response`` returns what the
schema dumps (a model, a dict): rewriting its ``return`` into a response would hand the schema a Response.
The same holds under an app's own decorator built from ``response`` (``paginated_response``), found by reading
the function the decorator names, in this module or the project module it is imported from.
"""

from __future__ import annotations

import functools
from pathlib import Path

import libcst as cst

from codemods.base import TODO_MARKER, Notes
from codemods.flask_to_fastapi import import_ports, requirements
from codemods.flask_to_fastapi.import_ports import Port
from codemods.flask_to_fastapi.imports import HELPER_MODULE
from codemods.flask_to_fastapi.names import dotted
from codemods.modules import module_name

PORT = f"{HELPER_MODULE}.apifairy"
PORTED = {
    "APIFairy",
    "arguments",
    "authenticate",
    "body",
    "other_responses",
    "response",
    "webhook",
    "FileField",
    "ValidationError",
}
REQUIREMENT = "webargs>=8.3"  # the port loads with webargs' parser, as APIFairy 1.x did
DOCS = (
    f"{TODO_MARKER} APIFairy's /docs and /apispec.json now show FastAPI's OpenAPI document (read from the views' "
    "signatures, not from the marshmallow schemas); end state: pydantic models as parameters and response_model"
)
KEPT = (
    f"{TODO_MARKER} APIFairy kept here (it reads flask.request): its decorators and APIFairy come from the "
    f"helper's port ({PORT})"
)
PORTS = Port("apifairy", PORT, frozenset(PORTED), "APIFairy", DOCS, KEPT)


def rewrite_imports(module: cst.Module, notes: Notes, prefix: str | None) -> cst.Module:
    """Imports of ``apifairy`` (and its submodules) to the helper's port; a TODO where it builds the docs."""
    said = "APIFairy's decorators run on the helper's port (_flask_compat/apifairy.py): same loading and answers"
    ported, any_ported = import_ports.rewrite_imports(PORTS, module, notes, prefix, said)
    if any_ported and hasattr(notes, "requirements"):
        declared = requirements._against_pins(REQUIREMENT, getattr(notes, "source", None), notes)
        if declared is not None:
            notes.requirements.add(declared)
    return ported


# -- views whose returns APIFairy marshals ---------------------------------------------------------


def _is_response(qualified: str | None) -> bool:
    """APIFairy's ``response``, or the port's (a module converted already in this run imports that)."""
    if not qualified:
        return False
    head, _, name = qualified.rpartition(".")
    return name == "response" and PORTS.names_port(head)


def marshals(tr, function: cst.FunctionDef) -> bool:
    """Whether a decorator of the view ``function`` is APIFairy's ``response`` or a function that builds one."""
    if tr.resolver is None or not function.decorators:
        return False
    root = _root(getattr(tr.notes, "source", None), getattr(tr.notes, "path", None))
    for decorator in function.decorators:
        node = decorator.decorator
        local = dotted(node.func if isinstance(node, cst.Call) else node)
        qualified = tr.resolver.qualify(local) if local else None
        if _is_response(qualified) or (qualified and _builds_response(qualified, root)):
            return True
    return False


def _root(source: str | None, path: str | None) -> str | None:
    """The folder the module's dotted name starts from, to find the project modules it imports."""
    if source is None:
        return None
    name = module_name(path, source).split(".")
    file = Path(source).resolve()
    depth = len(name) if file.name == "__init__.py" else len(name) - 1
    return str(file.parents[depth]) if depth < len(file.parents) else None


@functools.lru_cache(maxsize=256)
def _builds_response(qualified: str, root: str | None, depth: int = 0) -> bool:
    """A project function (``pkg.decorators.paginated_response``) that calls APIFairy's ``response``, itself or
    through another such function."""
    module_path, _, function = qualified.rpartition(".")
    parsed = _project_module(module_path, root)
    if parsed is None or depth > 3:
        return False
    module, name, package = parsed
    from codemods.flask_to_fastapi.passing import Resolver  # imported late: passing imports the analysis

    resolver = Resolver(module, name, package)
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == function:
            return any(
                _is_response(q) or (q != qualified and _builds_response(q, root, depth + 1))
                for q in (resolver.qualify(c) for c in _called(statement))
                if q
            )
    return False


def _project_module(name: str, root: str | None) -> tuple[cst.Module, str, bool] | None:
    if root is None or not name:
        return None
    base = Path(root, *name.split("."))
    for file, package in ((base.with_suffix(".py"), False), (base / "__init__.py", True)):
        if file.is_file():
            try:
                return cst.parse_module(file.read_text(encoding="utf-8")), name, package
            except (OSError, UnicodeDecodeError, cst.ParserSyntaxError):
                return None
    return None


def _called(function: cst.FunctionDef) -> set[str]:
    """The dotted names a function calls anywhere in its body (``response(...)(f)`` names ``response``)."""
    found: set[str] = set()

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            name = dotted(node.func)
            if name:
                found.add(name)

    function.body.visit(Calls())
    return found
