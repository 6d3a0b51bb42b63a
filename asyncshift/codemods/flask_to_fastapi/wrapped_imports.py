"""After ``from lib import Cls``: ``Cls = wrapper(Cls)  # TODO(asyncshift): ...``, the class kept on Flask by a helper.

Used for the extensions that stay on a Flask app beside the converted one (REST extensions' ``Api``; one that
accepts only a real ``flask.Flask`` is detected at run time, ``_flask_compat/flask_only.py``): each import of such a
class, at module level or in a block, is followed by the line that wraps it and the helper's import.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from codemods.flask_to_fastapi.imports import import_line
from codemods.flask_to_fastapi.names import dotted


@dataclass(frozen=True)
class Wrapping:
    """What to wrap from one library (its top-level module), and with what."""

    classes: frozenset[str]
    module: str  # the helper module the wrapper is imported from
    wrapper: str
    comment: str  # the TODO at the wrapping line


class WrapImports(cst.CSTTransformer):
    """Writes the wrapping lines; ``wrapped`` holds the libraries (top-level modules) it wrapped a class of."""

    def __init__(self, prefix: str | None, wrappings: dict[str, Wrapping]):
        self.prefix, self.wrappings, self.wrapped = prefix, wrappings, set()

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(body=self._wrap(updated.body))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated.with_changes(body=self._wrap(updated.body))

    def _wrap(self, statements) -> list:
        body = []
        for statement in statements:
            body.append(statement)
            small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
            if not (isinstance(small, cst.ImportFrom) and small.module and not small.relative):
                continue
            top = (dotted(small.module) or "").split(".")[0]
            wrapping = self.wrappings.get(top)
            if wrapping is None or isinstance(small.names, cst.ImportStar):
                continue
            for alias in small.names:
                if dotted(alias.name) not in wrapping.classes:
                    continue
                local = alias.asname.name.value if alias.asname else dotted(alias.name)
                todo = cst.TrailingWhitespace(cst.SimpleWhitespace("  "), cst.Comment(wrapping.comment))
                line = cst.parse_statement(f"{local} = {wrapping.wrapper}({local})\n")
                body += [
                    import_line(self.prefix, wrapping.module, wrapping.wrapper),
                    line.with_changes(trailing_whitespace=todo),
                ]
                self.wrapped.add(top)
        return body
