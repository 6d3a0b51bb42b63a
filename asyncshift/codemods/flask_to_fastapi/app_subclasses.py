"""A project's subclass of Flask builds as ``Flask(import_name, ...)`` did once its base is FastAPI.

``class MyFlask(Flask): bundles = []`` with no ``__init__`` of its own, built as ``MyFlask(__name__, **options)``
(here or in another module), inherited FastAPI's ``__init__``: the import name went to FastAPI (TypeError: takes
1 positional argument) and the options were lost. It gains ``__init__(self, import_name, **options)``:
``FastAPI.__init__(self)`` plus ``init_app(self, import_name, **options)``, as ``Flask(__name__)`` becomes.
An ``__init__`` of its own calling ``super().__init__(name, ...)`` gets the same two calls there
(``Flask.__init__(self, ...)`` is ``statements._subclass_init``'s).
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi.conversion import Conversion
from codemods.flask_to_fastapi.nodes import arg, call, is_super_init

FLASK_CLASSES = ("flask.Flask", "flask.app.Flask")
OVERRIDES_TODO = (
    "a Flask subclass: FastAPI does not call what it overrides of Flask (create_jinja_environment, "
    "create_url_adapter, jinja_environment, request_class...; its session_interface is used); "
    "move each to the helper's hook"
)


def is_flask_subclass(tr: Conversion, node: cst.ClassDef) -> bool:
    return any(tr.names.resolve(base.value) in FLASK_CLASSES for base in node.bases if base.keyword is None)


def rewrite(tr: Conversion, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
    if not is_flask_subclass(tr, original) or not isinstance(updated.body, cst.IndentedBlock):
        return updated
    body = list(updated.body.body)
    init = next((i for i, s in enumerate(body) if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"), None)
    if init is not None:
        body[init] = _super_init(tr, body[init])
        return updated.with_changes(body=updated.body.with_changes(body=body))
    if any(isinstance(s, cst.FunctionDef) for s in body):
        tr.todo(OVERRIDES_TODO)
    tr.needs.add("FastAPI")
    built = cst.parse_statement(
        "def __init__(self, import_name, **options):\n"
        "    FastAPI.__init__(self)\n"
        f"    {tr.injected('init_app')}(self, import_name, **options)\n"
    )
    body = [s for s in body if not _is_pass(s)]
    leading = [cst.EmptyLine(indent=False)] if body else []
    body.append(built.with_changes(leading_lines=leading))
    return updated.with_changes(body=updated.body.with_changes(body=body))


def _is_pass(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Pass, cst.Expr))
        and (isinstance(statement.body[0], cst.Pass) or isinstance(statement.body[0].value, cst.Ellipsis))
    )


def _super_init(tr: Conversion, init: cst.FunctionDef) -> cst.FunctionDef:
    """``super().__init__(name, ...)`` in the subclass's ``__init__``: ``FastAPI.__init__(self)`` plus
    ``init_app(self, name, ...)``."""
    if not isinstance(init.body, cst.IndentedBlock) or not init.params.params:
        return init
    self_name = init.params.params[0].name.value
    body: list[cst.BaseStatement] = []
    changed = False
    for statement in init.body.body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and statement.body else None
        if (
            isinstance(small, cst.Expr)
            and len(statement.body) == 1
            and is_super_init(small.value)
            and small.value.args
            and small.value.args[0].keyword is None
        ):
            changed = True
            fastapi_line = statement.with_changes(body=[cst.Expr(call("FastAPI.__init__", arg(cst.Name(self_name))))])
            init_args = [arg(cst.Name(self_name)), *small.value.args]
            init_call = call(tr.injected("init_app"), *init_args)
            body += [fastapi_line, cst.SimpleStatementLine([cst.Expr(init_call)])]
        else:
            body.append(statement)
    if not changed:
        return init
    tr.needs.add("FastAPI")
    tr.todo(OVERRIDES_TODO)
    return init.with_changes(body=init.body.with_changes(body=body))
