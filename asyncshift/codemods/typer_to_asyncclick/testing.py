"""Tests and callers of a converted CLI: what changes around them when the commands become async Click ones.

- a test made ``async def`` (it awaits ``CliRunner.invoke``) is marked ``@pytest.mark.asyncio``, so it
  runs under pytest-asyncio whatever the project's ``asyncio_mode`` (a mark needs no config file, and
  a run with ``--out`` must not write outside its folder);
- ``patch("typer.prompt")`` and other mock targets naming Typer name what the converted code calls;
- a direct call of a command function (Typer's decorators return the function; Click's a command)
  calls the command's function: ``await cmd.callback(...)``, through ``pass_context``'s wrapper;
- a helper that runs the CLI through ``CliRunner.invoke`` (a module's ``_invoke(...)``, a fixture's
  ``def f(*args): return runner.invoke(app, args)``) becomes async, and its calls, and the calls of the
  fixture's value in the tests, are awaited.
"""

from __future__ import annotations

import libcst as cst

from codemods.cst_walk import walk
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


def fixture_scope(func: cst.FunctionDef) -> str | None:
    """The scope of a pytest fixture ("function" when it names none), if it is one whose scope is written out
    (a string): it can become pytest-asyncio's; None for any other function."""
    for decorator in func.decorators:
        node = decorator.decorator
        if dotted(node.func if isinstance(node, cst.Call) else node) != "pytest.fixture":
            continue
        args = node.args if isinstance(node, cst.Call) else ()
        scope = next((a.value for a in args if a.keyword and a.keyword.value == "scope"), None)
        if scope is None:
            return "function"
        return scope.evaluated_value if isinstance(scope, cst.SimpleString) else None
    return None


def async_fixture(func: cst.FunctionDef, scope: str = "function") -> cst.FunctionDef:
    """``@pytest.fixture(...)`` -> ``@pytest_asyncio.fixture(...)``: pytest-asyncio's strict mode runs no async
    fixture of pytest's, and runs its own for sync tests too. One of a wider scope (module, class, package,
    session) runs in an event loop of that scope (``loop_scope=``, pytest-asyncio 0.24): the function-scoped
    loop is closed after the first test using it."""
    new = snippets.expression("pytest_asyncio.fixture")
    decorators = []
    for decorator in func.decorators:
        node = decorator.decorator
        if dotted(node.func if isinstance(node, cst.Call) else node) == "pytest.fixture":
            call = node.with_changes(func=new) if isinstance(node, cst.Call) else new
            if scope != "function" and isinstance(call, cst.Call):
                bare = cst.SimpleWhitespace("")
                equal = cst.AssignEqual(whitespace_before=bare, whitespace_after=bare)
                loop = cst.Arg(cst.SimpleString(f'"{scope}"'), keyword=cst.Name("loop_scope"), equal=equal)
                comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                args = [*call.args[:-1], call.args[-1].with_changes(comma=comma), loop]
                call = call.with_changes(args=args)
            decorator = decorator.with_changes(decorator=call)
        decorators.append(decorator)
    return func.with_changes(decorators=decorators)


def ensure_pytest(module: cst.Module, name: str = "pytest") -> cst.Module:
    """``import pytest`` (or ``name``) at the top of a module whose tests were marked, when it has none."""
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import) and any(dotted(a.name) == name and not a.asname for a in small.names):
                    return module
    body = list(module.body)
    at = 1 if body and _is_docstring(body[0]) else 0
    while at < len(body) and _is_future_import(body[at]):  # 'from __future__' must stay first
        at += 1
    if at < len(body) and isinstance(body[at], cst.BaseCompoundStatement) and not body[at].leading_lines:
        body[at] = body[at].with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])  # PEP 8 after imports
    statement = snippets.statement(f"import {name}")
    if at and _is_future_import(body[at - 1]):
        statement = statement.with_changes(leading_lines=[cst.EmptyLine()])
    return module.with_changes(body=[*body[:at], statement, *body[at:]])


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_future_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, cst.ImportFrom) and small.module is not None and dotted(small.module) == "__future__"
        for small in statement.body
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
    owner, typer_in, member = text.rpartition(".typer.")  # "pkg.cli.typer.Exit": typer as a converted module sees it
    project = tr.a.project
    if not (typer_in and project is not None and owner in project.modules) and not text.startswith("typer."):
        return call
    owner, member = (owner + ".click", member) if typer_in else ("asyncclick", text.removeprefix("typer."))
    if member in HELPERS or member == "prompt":
        target = f"{owner}.{member}"
    elif member in EXCEPTIONS:
        target = f"{owner}." + EXCEPTIONS[member].removeprefix("click.")
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
    facts = project.modules[ref[0]]
    if ref[1] in facts.registered:  # made a command by app.command()(f), here or in another module
        return ref[1] in facts.takes_context
    return facts.decorated.get(ref[1])


def direct_call(tr: Conversion, original: cst.Call, updated: cst.Call, takes_context: bool) -> cst.Call:
    """``show_tree()`` -> ``show_tree.callback()`` (``.callback.__wrapped__`` past ``pass_context``)."""
    attribute = "callback.__wrapped__" if takes_context else "callback"
    func = snippets.expression(f"{tr.code(original.func)}.{attribute}")
    return updated.with_changes(func=func)


_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)  # a function's own calls: not those of the ones inside it


def invoking_helpers(module: cst.Module, is_runner) -> tuple[frozenset[str], frozenset[str]]:
    """The module's sync functions, neither tests nor fixtures, that call ``CliRunner.invoke`` (``is_runner``
    tells a runner) or one another, or stand in for ``typer.prompt`` (``monkeypatch.setattr("typer.prompt",
    f)``: asyncclick's prompt is awaited): they become async. And the fixtures returning one of them: a call
    of the fixture's value in a test is a call of it."""
    own: dict[str, list[cst.Call]] = {}
    fixtures: dict[str, set[str]] = {}
    found: set[str] = set()
    for node in walk(module):
        if not isinstance(node, cst.FunctionDef) or node.asynchronous is not None:
            continue
        inside = list(walk(node.body, skip=_SCOPES))
        found.update(_prompt_stand_in(n) for n in inside if isinstance(n, cst.Call))
        if _is_fixture(node):
            fixtures[node.name.value] = {
                n.value.value for n in inside if isinstance(n, cst.Return) and isinstance(n.value, cst.Name)
            }
        elif not node.name.value.startswith("test"):
            own.setdefault(node.name.value, []).extend(n for n in inside if isinstance(n, cst.Call))
    found &= set(own)  # a stand-in defined here, sync
    grown = True
    while grown:
        grown = False
        for name, calls in own.items():
            if name not in found and any(_invokes(call, is_runner) or called(call, found) for call in calls):
                found.add(name)
                grown = True
    return frozenset(found), frozenset(name for name, returned in fixtures.items() if returned & found)


def called(call: cst.Call, names, methods: bool = True) -> bool:
    """``name(...)`` for one of ``names``; ``self.name(...)`` or ``cls.name(...)`` too with ``methods``."""
    func = call.func
    if isinstance(func, cst.Name):
        return func.value in names
    return (
        methods
        and isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value in ("self", "cls")
        and func.attr.value in names
    )


def _prompt_stand_in(call: cst.Call) -> str | None:
    """``f`` in ``monkeypatch.setattr("typer.prompt", f)`` (or ``patch(...)``)."""
    if (dotted(call.func) or "").rpartition(".")[2] not in PATCHERS or len(call.args) < 2:
        return None
    target, stand_in = call.args[0].value, call.args[1].value
    if isinstance(target, cst.SimpleString) and target.evaluated_value == "typer.prompt":
        return stand_in.value if isinstance(stand_in, cst.Name) else None
    return None


def _invokes(call: cst.Call, is_runner) -> bool:
    func = call.func
    return isinstance(func, cst.Attribute) and func.attr.value == "invoke" and is_runner(func.value)


def _is_fixture(func: cst.FunctionDef) -> bool:
    for decorator in func.decorators:
        target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        if (dotted(target) or "").rpartition(".")[2] == "fixture":
            return True
    return False


def invoking(tr: Conversion, is_runner) -> tuple[frozenset[str], frozenset[str]]:
    """``invoking_helpers``, read once per module, in a module that uses Typer's CliRunner or patches
    ``typer.prompt``."""
    if tr.a.invoking is None:
        facts = tr.a.project.modules.get(tr.a.module_name) if tr.a.project is not None else None
        uses_runner = (
            bool(tr.a.runners)
            or any(v == "testing.CliRunner" for v in tr.names.members.values())
            or any(v == "typer.testing" for v in tr.names.modules.values())
            or (facts is not None and facts.patches_prompt)
        )
        none = (frozenset(), frozenset())
        tr.a.invoking = invoking_helpers(tr.module, is_runner) if uses_runner else none
    return tr.a.invoking
