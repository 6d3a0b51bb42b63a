"""A REST extension's ``Resource`` imported by a module kept on Flask: its dispatch awaits a coroutine method.

``from flask_restful import Resource`` gets ``awaited_methods(Resource)`` after it (``_flask_compat/awaited_methods``):
Flask-RESTful's, flask-restx's and flask-restplus's ``dispatch_request`` call the HTTP method without awaiting, so
a method made ``async def`` (sqlalchemy-to-async, on the ``AsyncSession``) answered a coroutine object; patched, the
dispatch runs it to its end on the loop serving the request. The name stays the library's class (a call, not
``Resource = ...``): what reads the module's bases still finds the extension. A sync method answers as before.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import TODO_MARKER
from codemods.flask_to_fastapi.imports import HELPER_MODULE, import_line
from codemods.flask_to_fastapi.names import dotted

LIBRARIES = ("flask_restful", "flask_restx", "flask_restplus")  # flask-smorest routes MethodViews: converted
HELPER = "awaited_methods"
MODULE = f"{HELPER_MODULE}.{HELPER}"
COMMENT = (
    f"{TODO_MARKER} its dispatch runs an async def method's coroutine to its end on the event loop serving the "
    "request; end state: each Resource method a FastAPI route"
)


def rewrite(module: cst.Module, prefix: str | None) -> cst.Module:
    """``awaited_methods(Resource)`` and the helper's import after each import of a REST extension's Resource."""
    if f"{HELPER}(" in module.code:
        return module
    return module.visit(_Awaited(prefix))


class _Awaited(cst.CSTTransformer):
    def __init__(self, prefix: str | None) -> None:
        self.prefix = prefix

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(body=self._after_imports(updated.body))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated.with_changes(body=self._after_imports(updated.body))

    def _after_imports(self, statements) -> list:
        body = []
        for statement in statements:
            body.append(statement)
            small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
            if not (isinstance(small, cst.ImportFrom) and small.module and not small.relative):
                continue
            if (dotted(small.module) or "").split(".")[0] not in LIBRARIES or isinstance(small.names, cst.ImportStar):
                continue
            for alias in small.names:
                if dotted(alias.name) != "Resource":
                    continue
                local = alias.asname.name.value if alias.asname else "Resource"
                todo = cst.TrailingWhitespace(cst.SimpleWhitespace("  "), cst.Comment(COMMENT))
                line = cst.parse_statement(f"{HELPER}({local})\n").with_changes(trailing_whitespace=todo)
                body += [import_line(self.prefix, MODULE, HELPER), line]
        return body
