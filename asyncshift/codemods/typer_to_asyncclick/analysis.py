"""One read of the module before rewriting: its apps, what is registered on them, and its Enums.

Typer decides late (at ``app()``) whether an app is one command or a group; Click decides at the
decorator. So the shape of each app must be known before the first decorator is rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.cst_walk import walk
from codemods.typer_to_asyncclick import testfacts
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
    factory: bool = False  # made by a function that returns typer.Typer(...): a group already
    merged: bool = False  # added with add_typer() and no name: its commands join the parent's
    extra_commands: int = 0  # registered with app.command()(f) here or in other modules
    factory_keys: tuple[str, ...] = ()  # keyword arguments the factory passes to Typer(...)
    registered_calls: list[cst.Call] = field(default_factory=list)  # app.command()(f) in this scope
    grouped_elsewhere: bool = False  # @app.callback() or @app.command() in another module of the run
    _at_callback: bool | None = None

    @property
    def is_group(self) -> bool:
        return bool(
            self.factory
            or self.callback
            or self.grouped_elsewhere
            or self.children
            or self.is_child
            or len(self.commands) + max(self.extra_commands, len(self.registered_calls)) != 1
        )

    def single_registration(self, body: list[cst.BaseStatement]) -> cst.Call | None:
        """``app = typer.Typer()`` then ``app.command()(f)``, its only command, with no settings on either and
        nothing using ``app`` between: the pair is ``app = f`` (Typer runs a lone command as the app)."""
        if self.is_group or self.commands or len(self.registered_calls) != 1 or self.call.args:
            return None
        call = self.registered_calls[0]
        if call.func.args:  # app.command("name", help=...)
            return None
        for index in range(self.index + 1, len(body)):
            statement = body[index]
            small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
            if isinstance(small, cst.Expr) and small.value is call:
                return call
            if _mentions(statement, self.var):
                return None
        return None

    def typer_kwargs(self) -> dict[str, cst.BaseExpression]:
        """The ``Typer(...)`` keyword arguments (none for a factory-made app: they are the factory's)."""
        return {} if self.factory else {a.keyword.value: a.value for a in self.call.args if a.keyword}

    def group_at_callback(self, body: list[cst.BaseStatement]) -> bool:
        """Define the group where its callback is, if nothing uses the app before that."""
        if self.callback_index is None or self.factory:
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
    callback_functions: dict[str, App] = field(default_factory=dict)  # f in Typer(callback=f) / add_typer(callback=f)
    overridden: set[str] = field(default_factory=set)  # @app.callback() functions add_typer(callback=...) replaces
    registered: dict[str, list] = field(default_factory=dict)  # functions made commands by app.command()(f)
    imported_aliases: dict[str, object] = field(default_factory=dict)  # local name -> project.AliasFact
    aliases_read: set[str] = field(default_factory=set)  # imported aliases read besides as an annotation: kept
    typer_imported: set[str] = field(default_factory=set)  # ``from pkg import typer``: pkg's typer (see project)
    project: object = None
    module_name: str = ""
    bound_names: set[str] = field(default_factory=set)  # top-level names the module defines or imports
    invoking: tuple | None = None  # testing.invoking_helpers, once read
    functions: frozenset[str] = frozenset()  # top-level functions
    factories: frozenset[str] = frozenset()  # top-level functions returning a typer.Option/Argument call

    def app_of(self, decorator: cst.BaseExpression, method: str) -> App | None:
        """The app for ``@app.<method>(...)``."""
        call = decorator if isinstance(decorator, cst.Call) else None
        target = call.func if call else decorator
        if isinstance(target, cst.Attribute) and target.attr.value == method:
            return self.apps.get(dotted(target.value) or "")
        return None


def _mentions(node: cst.CSTNode, name: str) -> bool:
    return any(isinstance(n, cst.Name) and n.value == name for n in walk(node))


def _is_typer_param(names: TyperNames, node: cst.BaseExpression) -> bool:
    return any(isinstance(n, cst.Call) and names.resolve(n.func) in ("Option", "Argument") for n in walk(node))


def analyse(module: cst.Module, names: TyperNames, project=None, facts=None) -> Analysis:
    result = Analysis(project=project, module_name=facts.name if facts else "")
    body = list(module.body)
    for index, stmt in enumerate(body):
        _scan_statement(result, names, stmt, index, facts)
    _usage(result, names, module)
    _attribute_runners(result, names, module)
    _callback_keywords(result, body)
    result.bound_names = _bound(body)
    result.functions = frozenset(stmt.name.value for stmt in body if isinstance(stmt, cst.FunctionDef))
    result.factories = frozenset(
        stmt.name.value for stmt in body if isinstance(stmt, cst.FunctionDef) and _returns_param(stmt, names)
    )
    if facts is not None:
        _cross_file(result, facts, project)
        result.aliases_read = _read_besides_annotations(module, set(result.imported_aliases))
        for local, module in project.typer_from_run(facts).items():
            names.modules.setdefault(local, module)
            result.typer_imported.add(local)
        for local in testfacts.invokers_used(project, facts):  # stands for CliRunner.invoke (its import is kept)
            names.members.setdefault(local, "testing.invoker")
        for local in testfacts.runners_imported(project, facts):  # another module's CliRunner(): invoke awaited
            names.members.setdefault(local, "testing.runner")
            result.runners.add(local)
        if facts.patches_prompt:  # a module with no typer import that patches "typer.prompt" is converted too
            names.members.setdefault("<patched typer.prompt>", "testing.patched")
        if facts.registers:  # and one registering a function handed in on an app of the run
            names.members.setdefault("<registers a command>", "testing.registered")
    return result


def local_apps(func: cst.FunctionDef, names: TyperNames) -> tuple[dict[str, App], list[cst.BaseStatement]]:
    """Apps a function builds for itself (``app = typer.Typer()`` in a test), read like a module's."""
    body = list(func.body.body) if isinstance(func.body, cst.IndentedBlock) else []
    scope = Analysis()
    for index, stmt in enumerate(body):
        _scan_statement(scope, names, stmt, index)
    if scope.apps:
        _usage(scope, names, func.body)
        _callback_keywords(scope, body)
    return scope.apps, body


def _bound(body: list[cst.BaseStatement]) -> set[str]:
    names: set[str] = set()
    for stmt in body:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            names.add(stmt.name.value)
        for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
            if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    target = alias.asname.name if alias.asname else alias.name
                    names.add(dotted(target).split(".")[0] if dotted(target) else "")
            elif isinstance(small, cst.Assign):
                names.update(t.target.value for t in small.targets if isinstance(t.target, cst.Name))
    return names


def _cross_file(result: Analysis, facts, project) -> None:
    """What the first pass over the whole run knows about this module's apps, functions and imports."""
    for var, app in result.apps.items():
        fact = facts.apps.get(var)
        if fact is None:
            continue
        app.is_child = app.is_child or fact.named_parent
        app.merged = fact.merged_parent and not app.is_child
        app.extra_commands = fact.extra_commands
        app.grouped_elsewhere = (fact.callback and app.callback is None) or fact.commands_elsewhere > 0
        app.factory_keys = tuple(fact.typer_keys)
    result.registered = {name: regs for name, regs in facts.registered.items()}
    for local, (_source, attr) in facts.bindings.items():
        ref = project.resolve(facts.name, local) if attr is not None else None
        if ref and ref[1] in project.modules[ref[0]].aliases and ref[0] != facts.name:
            alias = project.modules[ref[0]].aliases[ref[1]]
            result.imported_aliases[local] = alias
            result.aliases[local] = cst.parse_expression(alias.code)


def _returns_param(func: cst.FunctionDef, names: TyperNames) -> bool:
    return any(
        isinstance(n, cst.Return)
        and isinstance(n.value, cst.Call)
        and names.resolve(n.value.func) in ("Option", "Argument")
        for n in walk(func.body)
    )


def _read_besides_annotations(module: cst.Module, locals_: set[str]) -> set[str]:
    """Which of ``locals_`` the module reads other than as a parameter's whole annotation (those are written
    out): ``repo_type: RepoTypeOpt = RepoTypeOpt.model`` reads the alias for its enum, through ``Annotated``."""
    if not locals_:
        return set()
    annotations = {
        id(n.annotation.annotation) for n in walk(module) if isinstance(n, cst.Param) and n.annotation is not None
    }
    annotations |= {id(n) for a in walk(module) if isinstance(a, cst.ImportAlias) for n in walk(a)}  # its import
    return {
        n.value for n in walk(module) if isinstance(n, cst.Name) and n.value in locals_ and id(n) not in annotations
    }


def _callback_keywords(result: Analysis, body: list[cst.BaseStatement]) -> None:
    """``Typer(callback=f)`` with ``f`` defined in this module: ``f`` is the group's callback, as if decorated."""
    functions = {stmt.name.value: index for index, stmt in enumerate(body) if isinstance(stmt, cst.FunctionDef)}
    for app in result.apps.values():
        value = app.child_kwargs.get("callback")  # add_typer(sub, callback=f): Typer's strongest
        if isinstance(value, cst.Name) and value.value in functions:
            if app.callback is not None and app.callback != value.value:
                result.overridden.add(app.callback)
            app.callback, app.callback_index = value.value, functions[value.value]
            app.callback_call = None
            result.callback_functions[value.value] = app
            continue
        value = next((a.value for a in app.call.args if a.keyword and a.keyword.value == "callback"), None)
        if app.callback is None and isinstance(value, cst.Name) and value.value in functions:
            app.callback, app.callback_index = value.value, functions[value.value]
            result.callback_functions[value.value] = app


def _attribute_runners(result: Analysis, names: TyperNames, module: cst.Module) -> None:
    """``self.cli = CliRunner()`` in a test class's ``setup_method`` (or any method): ``self.cli`` is a runner
    wherever the class reads it, a helper method defined above the assignment too (its ``invoke`` awaited)."""
    if not any(v == "testing.CliRunner" for v in names.members.values()) and "typer.testing" not in set(
        names.modules.values()
    ):
        return
    for node in walk(module):
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call):
            if names.resolve(node.value.func) == "testing.CliRunner":
                for target in node.targets:
                    name = dotted(target.target) if isinstance(target.target, cst.Attribute) else None
                    if name is not None and name.partition(".")[0] in ("self", "cls"):
                        result.runners.add(name)


def assignment(stmt: cst.BaseStatement) -> tuple[str, cst.BaseExpression] | None:
    """``(name, value)`` for a statement that assigns one value to one plain name (``app = typer.Typer()``)."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        small = stmt.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            return small.targets[0].target.value, small.value
        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
            return small.target.value, small.value
    return None


def _scan_statement(result: Analysis, names: TyperNames, stmt: cst.BaseStatement, index: int, facts=None) -> None:
    assigned = assignment(stmt)
    if assigned:
        var, value = assigned
        if isinstance(value, cst.Call) and names.resolve(value.func) == "Typer":
            result.apps[var] = App(var, value, index)
        elif isinstance(value, cst.Call) and facts is not None and var in facts.apps and facts.apps[var].factory:
            result.apps[var] = App(var, value, index, factory=True)
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


def _usage(result: Analysis, names: TyperNames, tree: cst.CSTNode) -> None:
    """add_typer, typer.run, app() and callback= anywhere under ``tree``, in source order."""
    for node in walk(tree):
        if isinstance(node, cst.Call):
            _usage_call(result, names, node)


def _usage_call(result: Analysis, names: TyperNames, node: cst.Call) -> None:
    func = node.func
    resolved = names.resolve(func)
    if resolved == "run" and node.args:
        target = dotted(node.args[0].value)
        if target:
            result.run_targets.add(target)
    elif resolved in ("Option", "Argument"):
        for arg in node.args:
            if arg.keyword and arg.keyword.value == "callback" and isinstance(arg.value, cst.Name):
                result.param_callbacks.add(arg.value.value)
    elif isinstance(func, cst.Attribute) and func.attr.value == "add_typer":
        parent = result.apps.get(dotted(func.value) or "")
        child_name = dotted(node.args[0].value) if node.args else None
        if parent and child_name:
            parent.children.append(child_name)
            child = result.apps.get(child_name)
            if child:
                child.child_kwargs = {a.keyword.value: a.value for a in node.args[1:] if a.keyword}
                own = child.callback_call.args if child.callback_call else ()
                named = (
                    "name" in child.child_kwargs
                    or "name" in child.typer_kwargs()
                    or any(a.keyword and a.keyword.value == "name" for a in own)
                )
                child.is_child = child.is_child or named
                child.merged = not child.is_child
    elif isinstance(func, cst.Name) and func.value in result.apps:
        result.apps[func.value].invoked = True
    elif (
        isinstance(func, cst.Call)
        and isinstance(func.func, cst.Attribute)
        and func.func.attr.value == "command"
        and dotted(func.func.value) in result.apps
        and len(node.args) == 1
    ):
        result.apps[dotted(func.func.value)].registered_calls.append(node)
