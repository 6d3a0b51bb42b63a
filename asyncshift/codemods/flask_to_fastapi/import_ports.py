"""An extension's imports pointed at the helper's port of it (APIFairy, flask-apispec).

``from ext import a, b`` becomes ``from _flask_compat.<port> import a, b`` when the port has every name; an import
the port cannot take stays, with a TODO; the import of the class that builds the extension's docs gets a TODO
saying FastAPI's document replaces them. One of each TODO per module, so a second run adds none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from codemods.flask_to_fastapi.imports import import_line
from codemods.flask_to_fastapi.names import dotted


@dataclass(frozen=True)
class Port:
    """What the helper ports of one extension: its package, the port's module, the names it has, and the TODOs."""

    package: str
    module: str
    names: frozenset[str]
    docs_class: str  # the class whose import builds the extension's docs
    docs: str  # the TODO at that import
    kept: str  # the TODO at an import the port cannot take

    def owns(self, module: str) -> bool:
        """``module`` is the extension's package or one of its submodules."""
        return module == self.package or module.startswith(f"{self.package}.")

    def names_port(self, module: str) -> bool:
        """``module`` is the extension or its port (which a module converted already in the run imports)."""
        return self.owns(module) or module == self.module or module.endswith(f".{self.module}")


class PortImports(cst.CSTTransformer):
    """Rewrites a module's imports of ``port.package``; ``ported`` says whether any line now imports the port."""

    def __init__(self, port: Port, prefix: str | None, code: str):
        self.port, self.prefix, self.ported = port, prefix, False
        self.said = {m for m in (port.kept, port.docs) if m in code}

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        port = self.port
        small = updated.body[0] if len(updated.body) == 1 else None
        if isinstance(small, cst.Import) and any(port.owns(dotted(a.name) or "") for a in small.names):
            return self._marked(updated, port.kept)
        if not (isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative):
            return updated
        if not port.owns(dotted(small.module) or "") or isinstance(small.names, cst.ImportStar):
            return updated
        if not all(dotted(a.name) in port.names for a in small.names):
            return self._marked(updated, port.kept)
        listed = ", ".join(
            f"{dotted(a.name)} as {dotted(a.asname.name)}" if a.asname else dotted(a.name) for a in small.names
        )
        line = import_line(self.prefix, port.module, listed).with_changes(leading_lines=updated.leading_lines)
        self.ported = True
        builds_docs = any(dotted(a.name) == port.docs_class for a in small.names)
        return self._marked(line, port.docs) if builds_docs else line

    def _marked(self, line: cst.BaseStatement, message: str) -> cst.BaseStatement:
        if message in self.said:
            return line
        self.said.add(message)
        return line.with_changes(leading_lines=[*line.leading_lines, cst.EmptyLine(comment=cst.Comment(message))])


def rewrite_imports(
    port: Port, module: cst.Module, notes: Any, prefix: str | None, said: str
) -> tuple[cst.Module, bool]:
    """``module`` with its imports of ``port.package`` pointed at the port (``said`` noted once any is), and
    whether any was."""
    if port.package not in module.code:
        return module, False
    porting = PortImports(port, prefix, module.code)
    ported = module.visit(porting)
    if porting.ported:
        notes.note(said)
    return ported, porting.ported
