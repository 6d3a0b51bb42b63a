"""The first pass over every file of a run: which imported names are Typer apps, app factories,
shared parameters or functions registered as commands, and how other modules use them.

One file alone cannot tell that ``users.app`` is added with ``add_typer`` in ``main.py``, or that
``typer_app(...)`` returns a ``typer.Typer``. Read with ``ast`` (fast); the facts must pickle.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from pathlib import Path

from codemods.modules import module_name, suffix_index
from codemods.typer_to_asyncclick import testfacts
from codemods.typer_to_asyncclick.mentions import CALL_WORDS, Lines, returns_typer, walk_statements

Ref = tuple[str, str]  # (module, top-level name)


@dataclass
class AppFact:
    """An app, as the rest of the run sees it."""

    factory: bool = False
    commands: int = 0
    callback: bool = False
    children: int = 0
    name: str | None = None  # Typer(name="...") or @callback(name="...") as a literal
    named_parent: bool = False  # added with add_typer(..., name=...) somewhere
    merged_parent: bool = False  # added with add_typer() and no name: its commands join the parent
    extra_commands: int = 0  # registered from other modules with app.command()(f)
    typer_keys: tuple[str, ...] = ()  # for a factory-made app: what the factory passes to Typer(...)
    commands_elsewhere: int = 0  # @app.command() in other modules on this app

    @property
    def is_group(self) -> bool:
        return (
            self.factory
            or self.named_parent
            or bool(self.callback or self.children or self.commands_elsewhere)
            or self.commands + self.extra_commands != 1
        )


@dataclass
class AliasFact:
    """``JsonOption = Annotated[bool, typer.Option(...)]``: the code and what it needs from its module."""

    code: str
    needs: list[str]  # free names besides typer's and Annotated, to import from the defining module
    typer_modules: dict[str, str]
    typer_members: dict[str, str]
    typing: dict[str, str]
    typing_modules: list[str]


@dataclass
class Registration:
    """``app.command("name", help=...)(function)`` with the function defined in ``module``."""

    name: str | None  # literal, or None when derived from the function
    kwargs: dict[str, str]  # literal keyword arguments, as code
    opaque: bool = False  # some argument is not a literal


@dataclass
class ModuleFacts:
    name: str
    relative: str
    bindings: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # local -> (module, attr or None)
    apps: dict[str, AppFact] = field(default_factory=dict)
    factories: dict[str, tuple[str, ...]] = field(default_factory=dict)  # function -> Typer(...) keywords
    aliases: dict[str, AliasFact] = field(default_factory=dict)
    functions: set[str] = field(default_factory=set)
    registered: dict[str, list[Registration]] = field(default_factory=dict)  # functions of this module made commands
    decorated: dict[str, bool] = field(default_factory=dict)  # @app.command/@app.callback function -> takes a Context
    takes_context: set[str] = field(default_factory=set)  # functions with a Context parameter (app.command()(f))
    calls_by_var: dict[str, str] = field(default_factory=dict)  # var = callee(...), callee dotted
    uses: list[tuple] = field(
        default_factory=list
    )  # ("add_typer", parent, child, named) / ("command", app, func, Registration)
    typer_local: bool = False
    typer_modules: dict[str, str] = field(default_factory=dict)  # local -> "typer": ``from pkg import typer`` gets it
    invokers: set[str] = field(default_factory=set)  # fixtures returning a function that runs CliRunner.invoke
    test_params: set[str] = field(default_factory=set)  # its tests' parameters: fixtures pytest hands them by name
    patches_prompt: bool = False  # monkeypatch.setattr("typer.prompt", ...): the target and its stand-in change
    registers: bool = False  # app.command()(f) on an app of the run with f not a function of the run


@dataclass
class Project:
    modules: dict[str, ModuleFacts] = field(default_factory=dict)  # by dotted name
    by_path: dict[str, str] = field(default_factory=dict)  # relative path -> dotted name
    involved: set[str] = field(default_factory=set)
    # for ``module``: dotted suffix -> the one module ending with it (None: several do); built on first use
    suffixes: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)
    indexed: int = field(default=-1, repr=False, compare=False)  # len(modules) when ``suffixes`` was built

    def facts(self, relative: str | None) -> ModuleFacts | None:
        return self.modules.get(self.by_path.get(relative or "", ""))

    def module(self, name: str) -> str | None:
        """The run's module imported as ``name``: itself, or the one file whose dotted name ends with it
        (``src/__init__.py`` makes ``src.cli.options`` of what the program imports as ``cli.options``);
        an index, not a scan per lookup: that made the first pass quadratic in the run's files."""
        if name in self.modules or not name:
            return name or None
        if self.indexed != len(self.modules):
            self.suffixes, self.indexed = suffix_index(self.modules), len(self.modules)
        return self.suffixes.get(name)

    def resolve(self, module: str, dotted_name: str, depth: int = 0) -> Ref | None:
        """``users.app`` in ``module`` -> ("pkg.users", "app"), following imports and re-exports."""
        facts = self.modules.get(module)
        if facts is None or depth > 6:
            return None
        head, _, rest = dotted_name.partition(".")
        bound = facts.bindings.get(head)
        if bound is None:
            return (module, head) if not rest and _defines(facts, head) else None
        target, attr = bound
        target = self.module(target) or target
        if attr is None:  # a module
            if not rest:
                return None
            return self.resolve(target, rest, depth + 1) if target in self.modules else None
        if target not in self.modules:
            return None
        return self.resolve(target, attr + (f".{rest}" if rest else ""), depth + 1)

    def typer_from_run(self, facts: ModuleFacts) -> dict[str, str]:
        """``from pkg import typer`` where the run's ``pkg`` imports typer: local name -> "typer". Converted,
        ``pkg`` no longer has it, so the importing module is converted too (its typer is asyncclick)."""
        found = {}
        for local, (source, attr) in facts.bindings.items():
            other = self.modules.get(self.module(source) or "") if attr is not None else None
            if other is not None and attr in other.typer_modules:
                found[local] = other.typer_modules[attr]
        return found

    def app(self, ref: Ref | None) -> AppFact | None:
        return self.modules[ref[0]].apps.get(ref[1]) if ref and ref[0] in self.modules else None


def _defines(facts: ModuleFacts, name: str) -> bool:
    return name in facts.apps or name in facts.factories or name in facts.aliases or name in facts.functions


def discover(files: list[tuple[str, str]]) -> Project:
    project = Project()
    for relative, path in files:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        name = module_name(relative, path)
        facts = ModuleFacts(name, relative)
        project.by_path[relative] = name
        project.modules.setdefault(name, facts)
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        _read_module(facts, tree, text, is_package=Path(path).name == "__init__.py")
    _link(project)
    return project


def single(code: str, relative: str | None) -> Project:
    """The same facts for one file on its own (``Codemod.apply`` on a string)."""
    project = Project()
    facts = ModuleFacts("__main__", relative or "<string>")
    project.by_path[facts.relative] = facts.name
    project.modules[facts.name] = facts
    try:
        _read_module(facts, ast.parse(code), code, is_package=False)
    except (SyntaxError, ValueError):
        return project
    _link(project)
    return project


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def _absolute(facts: ModuleFacts, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = facts.name.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, *([node.module] if node.module else [])])


class _Typer:
    """The module's local names for typer and typing (enough for the first pass)."""

    def __init__(self) -> None:
        self.modules: dict[str, str] = {}
        self.members: dict[str, str] = {}
        self.typing: dict[str, str] = {}
        self.typing_modules: list[str] = []

    def is_typer(self, node: ast.AST, member: str) -> bool:
        name = _dotted(node) or ""
        head, _, rest = name.partition(".")
        return (head in self.modules and rest == member) or self.members.get(name) == member

    def mentions_typer(self, node: ast.AST) -> bool:
        return bool(self.modules or self.members) and any(
            isinstance(n, ast.Call) and (self.is_typer(n.func, "Option") or self.is_typer(n.func, "Argument"))
            for n in ast.walk(node)
        )


def _literal(node: ast.AST | None) -> tuple[bool, object]:
    try:
        return True, ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return False, None


def _read_module(facts: ModuleFacts, tree: ast.Module, text: str, *, is_package: bool) -> None:
    typer = _Typer()
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                if alias.name == "typer" or alias.name.startswith("typer."):
                    typer.modules[local] = alias.name
                elif alias.name in ("typing", "typing_extensions"):
                    typer.typing_modules.append(local)
                facts.bindings[local] = (alias.name if alias.asname else local, None)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(facts, node, is_package)
            for alias in node.names:
                local = alias.asname or alias.name
                if source == "typer":
                    typer.members[local] = alias.name
                elif source in ("typing", "typing_extensions"):
                    typer.typing[local] = alias.name
                elif alias.name != "*":
                    # ``from pkg import mod`` binds a module when pkg.mod is a file of the run; decided in _link
                    facts.bindings[local] = (source, alias.name)
    facts.typer_local = bool(typer.modules or typer.members)
    facts.typer_modules = dict(typer.modules)
    lines, typer_words = Lines(text), ("Typer", *(local for local, name in typer.members.items() if name == "Typer"))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            facts.functions.add(node.name)
            walked = facts.typer_local and lines.mention(node, typer_words)  # else no Typer(...) in it
            keys = returns_typer(node, typer) if walked else None
            if keys is not None:
                facts.factories[node.name] = keys
            context = facts.typer_local and any("Context" in ast.unparse(a.annotation or a) for a in node.args.args)
            if context:
                facts.takes_context.add(node.name)
            for decorator in node.decorator_list:
                if _decorated(facts, decorator):
                    facts.decorated[node.name] = any(
                        "Context" in ast.unparse(a.annotation or a) for a in node.args.args
                    )
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            _assigned(facts, node, typer, text)
    testfacts.read(facts, tree, text)
    if not text.isascii() or "add_typer" in text or "command" in text:  # what _call looks for, in ASCII
        for node in walk_statements(statement for statement in tree.body if lines.mention(statement, CALL_WORDS)):
            if isinstance(node, ast.Call):
                _call(facts, node, typer)


def _assigned(facts: ModuleFacts, node: ast.Assign | ast.AnnAssign, typer: _Typer, text: str) -> None:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if len(targets) != 1 or not isinstance(targets[0], ast.Name) or node.value is None:
        return
    var, value = targets[0].id, node.value
    if isinstance(value, ast.Call) and typer.is_typer(value.func, "Typer"):
        facts.apps[var] = AppFact(name=_name_kw(value), callback=any(k.arg == "callback" for k in value.keywords))
    elif isinstance(value, ast.Call) and _dotted(value.func) and not typer.mentions_typer(value):
        facts.calls_by_var[var] = _dotted(value.func)
    elif typer.mentions_typer(value):
        code = ast.get_source_segment(text, value) or ""
        skip = (
            set(typer.modules)
            | set(typer.members)
            | {k for k, v in typer.typing.items() if v == "Annotated"}
            | set(typer.typing_modules)
        )
        free = sorted({n.id for n in ast.walk(value) if isinstance(n, ast.Name)} - skip - set(dir(builtins)))
        facts.aliases[var] = AliasFact(
            code, free, dict(typer.modules), dict(typer.members), dict(typer.typing), list(typer.typing_modules)
        )


def _name_kw(call: ast.Call) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == "name":
            ok, value = _literal(keyword.value)
            return value if ok and isinstance(value, str) else None
    return None


def _decorated(facts: ModuleFacts, decorator: ast.AST) -> bool:
    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in ("command", "callback"):
        facts.uses.append(
            ("decorator", func.value.id, func.attr, decorator if isinstance(decorator, ast.Call) else None)
        )
        return True
    return False


def _registration(call: ast.Call) -> Registration:
    name, opaque, kwargs = None, False, {}
    if call.args:
        ok, value = _literal(call.args[0])
        name, opaque = (value, opaque) if ok and isinstance(value, str) else (None, True)
    for keyword in call.keywords:
        ok, value = _literal(keyword.value)
        if not ok or keyword.arg is None:
            opaque = True
        elif keyword.arg == "name":
            name = value
        else:
            kwargs[keyword.arg] = repr(value)
    return Registration(name, kwargs, opaque)


def _call(facts: ModuleFacts, node: ast.Call, typer: _Typer) -> None:
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "add_typer" and node.args:
        parent, child = _dotted(func.value), _dotted(node.args[0])
        named = any(k.arg == "name" for k in node.keywords)
        if parent and child:
            facts.uses.append(("add_typer", parent, child, named))
    elif (
        isinstance(func, ast.Call)
        and isinstance(func.func, ast.Attribute)
        and func.func.attr == "command"
        and len(node.args) == 1
        and not node.keywords
    ):
        app, target = _dotted(func.func.value), _dotted(node.args[0])
        if app and target:
            facts.uses.append(("command", app, target, _registration(func)))


def _link(project: Project) -> None:
    """Resolve every use to the module that defines what it names; mark apps, factories and commands."""
    for facts in project.modules.values():  # ``from pkg import mod`` where pkg.mod is a file of the run
        for local, (source, attr) in list(facts.bindings.items()):
            if attr is not None and project.module(f"{source}.{attr}"):
                facts.bindings[local] = (project.module(f"{source}.{attr}"), None)
    for facts in project.modules.values():  # apps made by factories, here or imported
        for var, callee in facts.calls_by_var.items():
            ref = project.resolve(facts.name, callee)
            if ref and ref[1] in project.modules[ref[0]].factories:
                facts.apps[var] = AppFact(factory=True, typer_keys=project.modules[ref[0]].factories[ref[1]])
    for facts in project.modules.values():
        for use in facts.uses:
            _link_use(project, facts, use)
    for facts in project.modules.values():
        if facts.typer_local or facts.apps or facts.factories or facts.aliases or facts.registered:
            project.involved.add(facts.relative)
        elif facts.patches_prompt or facts.registers:
            project.involved.add(facts.relative)
        elif any(project.resolve(facts.name, local) for local in facts.bindings if _fact_name(project, facts, local)):
            project.involved.add(facts.relative)
        elif project.typer_from_run(facts) or testfacts.uses_runs(project, facts):
            project.involved.add(facts.relative)


def _fact_name(project: Project, facts: ModuleFacts, local: str) -> bool:
    ref = project.resolve(facts.name, local)
    if ref is None:
        return False
    other = project.modules[ref[0]]
    return any(
        ref[1] in known for known in (other.apps, other.factories, other.aliases, other.registered, other.decorated)
    )


def _link_use(project: Project, facts: ModuleFacts, use: tuple) -> None:
    kind = use[0]
    if kind == "decorator":
        _, var, method, call = use
        app = facts.apps.get(var)
        imported = project.app(project.resolve(facts.name, var)) if app is None else None
        if imported is not None and method == "callback":  # @app.callback() on an app of another module
            imported.callback = True
        elif imported is not None:  # @app.command(): its module's own commands are not all (a group)
            imported.commands_elsewhere += 1
        if app is not None:
            if method == "command":
                app.commands += 1
            else:
                app.callback = True
                app.name = app.name or (_name_kw(call) if call else None)
        return
    if kind == "add_typer":
        _, parent, child, named = use
        parent_app = project.app(project.resolve(facts.name, parent))
        child_app = project.app(project.resolve(facts.name, child))
        if parent_app is not None:
            parent_app.children += 1
        if child_app is not None:
            if named or child_app.name:
                child_app.named_parent = True
            else:
                child_app.merged_parent = True
        return
    _, app_expr, target, registration = use
    ref = project.resolve(facts.name, target)
    if ref is None and target not in facts.functions and project.app(project.resolve(facts.name, app_expr)):
        facts.registers = True  # app.command()(f) on an app of the run, f handed in: converted here too
    if ref is None or ref[1] not in project.modules[ref[0]].functions:
        return
    app_ref = project.resolve(facts.name, app_expr)
    app = project.app(app_ref)
    if app is not None:
        app.extra_commands += 1
    project.modules[ref[0]].registered.setdefault(ref[1], []).append(registration)
