"""Tests and callers of a converted CLI: what changes around them when the commands become async Click ones.

- a test made ``async def`` (it awaits ``CliRunner.invoke``) is marked ``@pytest.mark.asyncio``, so it
  runs under pytest-asyncio whatever the project's ``asyncio_mode`` (a mark needs no config file, and
  a run with ``--out`` must not write outside its folder);
- ``patch("typer.prompt")`` and other mock targets naming Typer name what the converted code calls;
- a direct call of a command function (Typer's decorators return the function; Click's a command)
  calls the command's function: ``await cmd.callback(...)``, through ``pass_context``'s wrapper.
"""

from __future__ import annotations

import libcst as cst

from codemods.typer_to_asyncclick import snippets
from codemods.typer_to_asyncclick.conversion import Conversion
from codemods.typer_to_asyncclick.names import dotted
from codemods.typer_to_asyncclick.references import EXCEPTIONS, HELPERS

PATCHERS = {"patch", "setattr", "delattr"}  # mock.patch, mocker.patch, monkeypatch.setattr
MARK = "pytest.mark.asyncio"


def mark_async(func: cst.FunctionDef) -> cst.FunctionDef:
    """``@pytest.mark.asyncio`` on a test made async, unless it has it already."""
    if any(dotted(d.decorator) == MARK or dotted(getattr(d.decorator, "func", None)) == MARK for d in func.decorators):
        return func
    return func.with_changes(decorators=[*func.decorators, cst.Decorator(snippets.expression(MARK))])


def ensure_pytest(module: cst.Module) -> cst.Module:
    """``import pytest`` at the top of a module whose tests were marked, when it has none."""
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import) and any(
                    dotted(a.name) == "pytest" and not a.asname for a in small.names
                ):
                    return module
    body = list(module.body)
    at = 1 if body and _is_docstring(body[0]) else 0
    if at < len(body) and isinstance(body[at], cst.BaseCompoundStatement) and not body[at].leading_lines:
        body[at] = body[at].with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])  # PEP 8 after imports
    return module.with_changes(body=[*body[:at], snippets.statement("import pytest"), *body[at:]])


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def patch_target(tr: Conversion, call: cst.Call) -> cst.Call:
    """``patch("typer.prompt")`` -> ``patch("asyncclick.prompt")``; a target with no twin gets a TODO."""
    name = dotted(call.func) or ""
    if name.rpartition(".")[2] not in PATCHERS or not call.args:
        return call
    arg = call.args[0]
    if not isinstance(arg.value, cst.SimpleString) or not isinstance(arg.value.evaluated_value, str):
        return call
    text = arg.value.evaluated_value
    if not text.startswith("typer."):
        return call
    member = text.removeprefix("typer.")
    if member in HELPERS or member == "prompt":
        target = f"asyncclick.{member}"
    elif member in EXCEPTIONS:
        target = "asyncclick." + EXCEPTIONS[member].removeprefix("click.")
    else:
        tr.todo(f"the mock target '{text}' names Typer: point it at what the converted code calls")
        return call
    quote = arg.value.quote
    new = arg.with_changes(value=cst.SimpleString(f"{arg.value.prefix}{quote}{target}{quote}"))
    return call.with_changes(args=[new, *call.args[1:]])


def command_function(tr: Conversion, original: cst.Call) -> bool | None:
    """For a call of a function Typer decorated as a command (here or imported): whether it takes a Context."""
    project, name = tr.a.project, dotted(original.func)
    if project is None or not name or tr.names.resolve(original.func) is not None:
        return None
    ref = project.resolve(tr.a.module_name, name)
    if ref is None or ref[0] not in project.modules:
        return None
    return project.modules[ref[0]].decorated.get(ref[1])


def direct_call(tr: Conversion, original: cst.Call, updated: cst.Call, takes_context: bool) -> cst.Call:
    """``show_tree()`` -> ``show_tree.callback()`` (``.callback.__wrapped__`` past ``pass_context``)."""
    attribute = "callback.__wrapped__" if takes_context else "callback"
    func = snippets.expression(f"{tr.code(original.func)}.{attribute}")
    return updated.with_changes(func=func)
