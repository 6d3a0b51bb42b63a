"""One read of the module before rewriting: its apps, what is registered on them, and its Enums.

Typer decides late (at ``app()``) whether an app is one command or a group; Click decides at the
decorator. So the shape of each app must be known before the first decorator is rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.typer_to_asyncclick.names import TyperNames, dotted

ENUM_BASES = {"Enum", "StrEnum", "IntEnum", "enum.Enum", "enum.StrEnum", "enum.IntEnum"}


@dataclass
class App:
    """A ``name = typer.Typer(...)`` and everything registered on it in this module."""

    var: str
    call: cst.Call
    index: int  # position of its statement in the module body
    commands: list[str] = field(default_factory=list)
    callback: str | None = None
    callback_index: int | None = None
    callback_call: cst.Call | None = None
    children: list[str] = field(default_factory=list)  # sub-apps added with add_typer
    is_child: bool = False
    child_kwargs: dict[str, cst.BaseExpression] = field(default_factory=dict)
    invoked: bool = False
    _at_callback: bool | None = None

    @property
    def is_group(self) -> bool:
        return bool(self.callback or self.children or self.is_child or len(self.commands) != 1)

    def group_at_callback(self, body: list[cst.BaseStatement]) -> bool:
        """Define the group where its callback is, if nothing uses the app before that."""
        if self.callback_index is None:
            return False
        if self._at_callback is None:
            between = body[self.index + 1 : self.callback_index]
            self._at_callback = not any(_mentions(stmt, self.var) for stmt in between)
        return self._at_callback


@dataclass
class Analysis:
    apps: dict[str, App] = field(default_factory=dict)
    enums: set[str] = field(default_factory=set)
    run_targets: set[str] = field(default_factory=set)  # functions passed to typer.run
    param_callbacks: set[str] = field(default_factory=set)
    aliases: dict[str, cst.BaseExpression] = field(default_factory=dict)  # X = Annotated[..., typer.Option()]
    alias_statements: set[int] = field(default_factory=set)
    runners: set[str] = field(default_factory=set)  # names bound to CliRunner()
    callback_functions: dict[str, App] = field(default_factory=dict)  # f in Typer(callback=f)

    def app_of(self, decorator: cst.BaseExpression, method: str) -> App | None:
        """The app for ``@app.<method>(...)``."""
        call = decorator if isinstance(decorator, cst.Call) else None
        target = call.func if call else decorator
        if isinstance(target, cst.Attribute) and target.attr.value == method:
            return self.apps.get(dotted(target.value) or "")
        return None


def _mentions(node: cst.CSTNode, name: str) -> bool:
    found = False

    class Finder(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            nonlocal found
            found = found or n.value == name

    node.visit(Finder())
    return found


def _is_typer_param(names: TyperNames, node: cst.BaseExpression) -> bool:
    found = False

    class Finder(cst.CSTVisitor):
        def visit_Call(self, n: cst.Call) -> None:
            nonlocal found
            found = found or names.resolve(n.func) in ("Option", "Argument")

    node.visit(Finder())
    return found


def analyse(module: cst.Module, names: TyperNames) -> Analysis:
    result = Analysis()
    body = list(module.body)
    for index, stmt in enumerate(body):
        _scan_statement(result, names, stmt, index)
    finder = _Usage(result, names)
    module.visit(finder)
    _callback_keywords(result, body)
    return result


def _callback_keywords(result: Analysis, body: list[cst.BaseStatement]) -> None:
    """``Typer(callback=f)`` with ``f`` defined in this module: ``f`` is the group's callback, as if decorated."""
    functions = {stmt.name.value: index for index, stmt in enumerate(body) if isinstance(stmt, cst.FunctionDef)}
    for app in result.apps.values():
        value = next((a.value for a in app.call.args if a.keyword and a.keyword.value == "callback"), None)
        if app.callback is None and isinstance(value, cst.Name) and value.value in functions:
            app.callback, app.callback_index = value.value, functions[value.value]
            result.callback_functions[value.value] = app


def _assign(stmt: cst.BaseStatement) -> tuple[str, cst.BaseExpression] | None:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        small = stmt.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            return small.targets[0].target.value, small.value
        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
            return small.target.value, small.value
    return None


def _scan_statement(result: Analysis, names: TyperNames, stmt: cst.BaseStatement, index: int) -> None:
    assigned = _assign(stmt)
    if assigned:
        var, value = assigned
        if isinstance(value, cst.Call) and names.resolve(value.func) == "Typer":
            result.apps[var] = App(var, value, index)
        elif _is_typer_param(names, value):
            result.aliases[var] = value
            result.alias_statements.add(index)
        elif isinstance(value, cst.Call) and names.resolve(value.func) == "testing.CliRunner":
            result.runners.add(var)
    if isinstance(stmt, cst.ClassDef):
        if any(dotted(base.value) in ENUM_BASES for base in stmt.bases):
            result.enums.add(stmt.name.value)
    if isinstance(stmt, cst.FunctionDef):
        for decorator in stmt.decorators:
            _scan_decorator(result, stmt, decorator.decorator, index)


def _scan_decorator(result: Analysis, func: cst.FunctionDef, decorator: cst.BaseExpression, index: int) -> None:
    app = result.app_of(decorator, "command")
    if app:
        app.commands.append(func.name.value)
    app = result.app_of(decorator, "callback")
    if app:
        app.callback, app.callback_index = func.name.value, index
        app.callback_call = decorator if isinstance(decorator, cst.Call) else None


class _Usage(cst.CSTVisitor):
    """add_typer, typer.run, app(), callback= and CliRunner() anywhere in the module."""

    def __init__(self, result: Analysis, names: TyperNames) -> None:
        self.result, self.names = result, names

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        resolved = self.names.resolve(func)
        if resolved == "run" and node.args:
            target = dotted(node.args[0].value)
            if target:
                self.result.run_targets.add(target)
        elif resolved in ("Option", "Argument"):
            for arg in node.args:
                if arg.keyword and arg.keyword.value == "callback" and isinstance(arg.value, cst.Name):
                    self.result.param_callbacks.add(arg.value.value)
        elif isinstance(func, cst.Attribute) and func.attr.value == "add_typer":
            parent = self.result.apps.get(dotted(func.value) or "")
            child_name = dotted(node.args[0].value) if node.args else None
            if parent and child_name:
                parent.children.append(child_name)
                child = self.result.apps.get(child_name)
                if child:
                    child.is_child = True
                    child.child_kwargs = {a.keyword.value: a.value for a in node.args[1:] if a.keyword}
        elif isinstance(func, cst.Name) and func.value in self.result.apps:
            self.result.apps[func.value].invoked = True
