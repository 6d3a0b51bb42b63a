"""A program's own subclasses of Typer's or Click's classes (``class HelpfulGroup(TyperGroup)``, used as ``cls=``).

The base becomes the helper's twin (``references.HELPER_CLASSES``) or asyncclick's class; methods
that override what asyncclick made ``async`` (``invoke``, ``resolve_command``, ``make_context``...)
become ``async def`` and await ``super()``'s, so their ``try``/``except`` still sees the errors.
"""

from __future__ import annotations

import libcst as cst

from codemods.typer_to_asyncclick.conversion import Conversion
from codemods.typer_to_asyncclick.names import dotted
from codemods.typer_to_asyncclick.references import HELPER_CLASSES

COMMANDS = {"Command", "Group", "MultiCommand", "BaseCommand", "CommandCollection", "TyperCommand", "TyperGroup"}
PARAMETERS = {"Parameter", "Option", "Argument", "TyperOption", "TyperArgument"}
# methods that are coroutines in asyncclick (8.3's core.py)
ASYNC_METHODS = {
    "commands": {"main", "_main", "make_context", "parse_args", "invoke", "resolve_command", "to_info_dict"},
    "parameters": {"consume_value", "process_value", "handle_parse_result", "prompt_for_value", "to_info_dict"},
}


def kind(tr: Conversion, node: cst.ClassDef) -> str | None:
    """'commands' or 'parameters' for a subclass of a Typer/Click command or parameter class, else None."""
    for base in node.bases:
        resolved = tr.names.resolve(base.value)
        name = HELPER_CLASSES.get(resolved or "", "") or _click_class(base.value)
        if name in COMMANDS:
            return "commands"
        if name in PARAMETERS:
            return "parameters"
    return None


def _click_class(node: cst.BaseExpression) -> str:
    name = dotted(node) or ""
    head, _, last = name.rpartition(".")
    return last if head in ("click", "click.core") else ""


def port(node: cst.ClassDef, which: str) -> cst.ClassDef:
    """The overriding methods made ``async def``, each ``super().<method>(...)`` awaited."""
    methods = ASYNC_METHODS[which]
    body = []
    for statement in node.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value in methods and not statement.asynchronous:
            statement = statement.visit(_AwaitSuper(methods)).with_changes(asynchronous=cst.Asynchronous())
        body.append(statement)
    return node.with_changes(body=node.body.with_changes(body=body))


class _AwaitSuper(cst.CSTTransformer):
    """``super().invoke(ctx)`` -> ``await super().invoke(ctx)`` (not inside nested functions)."""

    def __init__(self, methods: set[str]) -> None:
        self.methods, self.depth = methods, 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return self.depth == 1

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self.depth -= 1
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = original.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in self.methods
            and isinstance(func.value, cst.Call)
            and dotted(func.value.func) == "super"
        ):
            return cst.Await(updated)
        return updated
