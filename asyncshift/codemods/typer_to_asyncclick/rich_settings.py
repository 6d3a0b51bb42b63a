"""``rich_utils.MAX_WIDTH = 3000`` / ``rich_utils.FORCE_TERMINAL = False``: Typer's rich settings, as the environment.

Typer reads them from TERMINAL_WIDTH and the colour variables once, into ``typer.rich_utils``, and a
program (or its test conftest) may set them there. The help shim's console reads the same variables at
each print, so setting the variable is setting the shim's, whichever folder's copy of it prints.
"""

from __future__ import annotations

import libcst as cst

from codemods.typer_to_asyncclick import imports, snippets
from codemods.typer_to_asyncclick.names import TyperNames

SETTINGS = ("rich_utils.MAX_WIDTH", "rich_utils.FORCE_TERMINAL")
_FORCE = {"True": "FORCE_COLOR", "False": "_TYPER_FORCE_DISABLE_TERMINAL"}  # as the shim's console() reads them


def setting(names: TyperNames, small: cst.BaseSmallStatement, code) -> cst.SimpleStatementLine | None:
    """The statement setting the environment for ``rich_utils.X = value`` (None: not one, or a value
    whose meaning is not known here: ``FORCE_TERMINAL = None``, an expression); it needs ``import os``."""
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
        return None
    target, value = names.resolve(small.targets[0].target), small.value
    if target == "rich_utils.MAX_WIDTH":
        width = f'"{value.value}"' if isinstance(value, cst.Integer) else f"str({code(value)})"
        line = f'os.environ["TERMINAL_WIDTH"] = {width}'
    elif target == "rich_utils.FORCE_TERMINAL" and isinstance(value, cst.Name) and value.value in _FORCE:
        line = f'os.environ["{_FORCE[value.value]}"] = "1"'
    else:
        return None
    return snippets.statement(line)


def import_os(module: cst.Module) -> cst.Module:
    """``import os`` after the module's leading imports, unless it has one at the top already."""
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Import) and any(a.evaluated_name == "os" and not a.asname for a in small.names):
                return module
    body = list(module.body)
    at = imports.after_imports(body)
    return module.with_changes(body=[*body[:at], snippets.statement("import os"), *body[at:]])
