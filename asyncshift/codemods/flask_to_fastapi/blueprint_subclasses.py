"""A project's subclass of Blueprint builds as ``Blueprint(name, import_name, ...)`` did once its base is APIRouter.

``class AuthBlueprint(Blueprint)`` built as ``AuthBlueprint("auth", __name__, url_prefix="/auth")`` (here or in
another module) inherited APIRouter's ``__init__``, which takes no positional name: a TypeError at import. With no
``__init__`` of its own it gains ``__init__(self, name, import_name, url_prefix=None, **options)``, building its
APIRouter as ``Blueprint(...)`` becomes (``statements._new_router``: prefix and tag); an ``__init__`` of its own has
its ``super().__init__(name, import_name, ...)`` converted the same way. One overriding ``register`` derives from
the helper's ``RegisteredRouter``: the app including it calls that ``register`` as ``register_blueprint`` did. FastAPI
never calls ``make_setup_state``: an override gets a TODO at its def.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi.analysis import is_blueprint_subclass
from codemods.flask_to_fastapi.conversion import Conversion
from codemods.flask_to_fastapi.nodes import is_super_init
from codemods.flask_to_fastapi.statements import _new_router

HOOKS = ("make_setup_state",)  # ``register`` is kept: its class derives from the helper's RegisteredRouter
OPTIONS_TODO = (
    "a Blueprint subclass: built as APIRouter(prefix=url_prefix, tags=[name]); other Blueprint options "
    "(template_folder, static_folder, subdomain...) are not kept"
)
INIT = """\
def __init__(self, name, import_name, url_prefix=None, **options):
    APIRouter.__init__(self, prefix=(url_prefix or "").rstrip("/"), tags=[name])
    self.name = name
"""


def hook_todo(tr: Conversion, node: cst.FunctionDef) -> None:
    """At a ``make_setup_state`` override of a Blueprint subclass: FastAPI never calls it."""
    if node.name.value in HOOKS and tr.class_stack and tr.class_stack[-1] in tr.analysis.blueprint_classes:
        tr.todo(
            f"FastAPI does not call a Blueprint's {node.name.value}(): include_router copies the router's "
            "routes; do what this did before the router is included"
        )


def rewrite(tr: Conversion, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
    if not is_blueprint_subclass(tr.names, original) or not isinstance(updated.body, cst.IndentedBlock):
        return updated
    tr.needs.add("APIRouter")
    body = list(updated.body.body)
    if any(isinstance(s, cst.FunctionDef) and s.name.value == "register" for s in body):
        tr.needs.add("RegisteredRouter")  # the app including it calls its register(), as register_blueprint did
        bases = [
            base.with_changes(value=cst.Name("RegisteredRouter"))
            if is_blueprint_subclass(tr.names, original.with_changes(bases=[old]))
            else base
            for base, old in zip(updated.bases, original.bases, strict=True)
        ]
        updated = updated.with_changes(bases=bases)
    init = next((i for i, s in enumerate(body) if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"), None)
    if init is not None:
        body[init] = _super_init(tr, body[init])
        return updated.with_changes(body=updated.body.with_changes(body=body))
    tr.todo(OPTIONS_TODO)
    body = [s for s in body if not _is_pass(s)]
    leading = [cst.EmptyLine(indent=False)] if body else []
    body.append(cst.parse_statement(INIT).with_changes(leading_lines=leading))
    return updated.with_changes(body=updated.body.with_changes(body=body))


def _is_pass(statement: cst.BaseStatement) -> bool:
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    return isinstance(small, cst.Pass) or (isinstance(small, cst.Expr) and isinstance(small.value, cst.Ellipsis))


def _super_init(tr: Conversion, init: cst.FunctionDef) -> cst.FunctionDef:
    """``super().__init__(name, import_name, url_prefix=...)``: ``super().__init__(prefix=..., tags=[name])``."""

    class Calls(cst.CSTTransformer):
        def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
            if not is_super_init(updated):
                return updated
            if any(a.star for a in updated.args):
                tr.todo("a Blueprint subclass: the Blueprint options passed on with * or ** are not kept")
            router = _new_router(tr, updated.with_changes(args=[a for a in updated.args if not a.star]))
            if not (isinstance(router.func, cst.Name) and router.func.value == "APIRouter"):
                tr.todo(OPTIONS_TODO)  # template or static folders: blueprint_folders wraps the router built
                router = router.args[0].value
            return updated.with_changes(args=router.args)

    return init.visit(Calls())
