"""What the first pass reads from each module with ``ast``: imports, variables, classes and functions.

Only what the type rules need: annotations, assigned values, ``with`` targets, the calls each function
makes and the functions it names without calling. Everything is plain data (it must pickle for ``-j``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from codemods.sqlalchemy_to_async import doubles, handler_flows, model_bases, query_properties, relations, thread_uses
from codemods.sqlalchemy_to_async.exprs import Expr, defaults, dotted, from_ast, handed_on

METADATA_METHODS = {"create_all", "drop_all"}
UNLOADABLE = {"write_only", "dynamic", "noload", "raise", "raise_on_sql", "WriteOnlyMapped", "DynamicMapped"}
# Callers that call what they are handed without awaiting it: positional arguments, and these keywords.
SYNC_CALLERS = {"map", "filter", "sorted", "min", "max", "Thread", "Timer", "submit", "run_in_executor", "to_thread"}
SYNC_CALLERS |= {"signal", "call_soon", "call_later", "add_done_callback"}
SYNC_KEYWORDS = {"key", "target", "callback", "default", "fget", "fset", "on_error"}
Binding = tuple[str, Expr]  # ("value" | "ann" | "with" | "self", expr) - how a name got its value


@dataclass
class FunctionFacts:
    module: str
    qualname: str  # "f", "Cls.method", "f.inner"
    cls: str | None  # the class's qualname, for a method
    parent: str | None  # the enclosing function's qualname, for a nested function
    is_async: bool
    decorators: tuple[str, ...]
    params: dict[str, Expr] = field(default_factory=dict)  # name -> annotation (None when there is none)
    defaults: dict[str, Expr] = field(default_factory=dict)  # name -> its default, when it is a name or a call
    first_param: str | None = None
    locals: dict[str, list[Binding]] = field(default_factory=dict)
    returns: Expr = None
    return_values: list[Expr] = field(default_factory=list)
    # names handed to the calls a ``return`` makes: ``return deco(x)(wrapper)`` hands on ``wrapper``, wrapped again
    handed_on: list[str] = field(default_factory=list)
    calls: list[Expr] = field(default_factory=list)  # the callee of every call outside lambdas and nested defs
    with_items: list[Expr] = field(default_factory=list)
    arguments: list[tuple[Expr, tuple, tuple]] = field(default_factory=list)  # (callee, args, ((kw, arg)...))
    built_arguments: list[tuple[Expr, tuple, tuple]] = field(default_factory=list)  # the same, no name: f(A(), 1)
    iterated: list[Expr] = field(default_factory=list)  # what ``for`` loops iterate over
    metadata_binds: list[Expr] = field(default_factory=list)  # the engine of ``metadata.create_all(engine)``
    references: list[Expr] = field(default_factory=list)  # names and attributes used but not called
    # ``f(lambda: g(x))``: (callee, position or keyword, the lambda's callee ``g`` or None), for ``thunks``
    thunks: list[tuple[Expr, int | str, Expr]] = field(default_factory=list)
    is_generator: bool = False
    # ``Thread(target=f, args=(a,))``: (callee, target, the ``args`` items or None, ``thread_uses.use``): ``threads``
    threads: list[tuple[Expr, Expr, tuple | None, str | None]] = field(default_factory=list)
    thread_lambdas: dict[str, Expr] = field(default_factory=dict)  # ``run = lambda: f(a)``: ``thread_uses``
    # ``@patch("a.b.Repo")`` decorators handing in a mock (innermost first, as pytest hands them): their paths
    patches: list[str] = field(default_factory=list)
    with_patches: dict[str, str] = field(default_factory=dict)  # ``with patch("a.b.Repo") as m``: m -> its path

    @property
    def id(self) -> str:
        return f"{self.module}:{self.qualname}"

    @property
    def name(self) -> str:
        return self.qualname.rpartition(".")[2]


@dataclass
class ClassFacts:
    module: str
    qualname: str
    bases: list[Expr] = field(default_factory=list)
    attrs: dict[str, list[tuple[str | None, Binding]]] = field(default_factory=dict)  # name -> (method, binding)
    methods: set[str] = field(default_factory=set)
    relationships: dict[str, Expr] = field(default_factory=dict)  # name -> the ``relationship`` it calls
    links: dict[str, relations.Link] = field(default_factory=dict)  # name -> its two sides (``backrefs``)
    dynamic: set[str] = field(default_factory=set)  # relationships with ``lazy="dynamic"`` (a Query per read)
    unloadable: set[str] = field(default_factory=set)  # no eager load fills them (UNLOADABLE: write-only, dynamic...)


@dataclass
class ModuleFacts:
    name: str
    relative: str
    bindings: dict[str, str] = field(default_factory=dict)  # local name -> dotted name it imports
    variables: dict[str, list[Binding]] = field(default_factory=dict)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    functions: dict[str, FunctionFacts] = field(default_factory=dict)
    module_calls: list[Expr] = field(default_factory=list)  # calls at module level (not in a def)
    callbacks: list[tuple[str | None, Expr, str]] = field(default_factory=list)  # (scope, function, handed to)
    text_mentions: frozenset[str] = frozenset()
    patched: list[str] = field(default_factory=list)  # dotted paths given to ``monkeypatch.setattr("a.b.C", ...)``
    patch_paths: list[str] = field(default_factory=list)  # dotted paths given to ``patch("a.b.f")`` and the like
    star_imports: list[str] = field(default_factory=list)  # modules of ``from X import *`` at module level
    # ``obj.m = f``, ``monkeypatch.setattr(obj, "m", f)`` / ``("a.b.C", f)``, ``patch.object(obj, "m", f)``,
    # ``patch("a.b.f", f)``: (scope, what is replaced: an expression or a dotted path, the value), ``stand_ins``
    stand_ins: list[tuple[str | None, Expr | str, Expr]] = field(default_factory=list)
    flows: Any = None  # callables handed around as values (``handler_flows``)
    model_classes: dict[str, Expr] = field(default_factory=dict)  # ``db = SQLAlchemy(model_class=X)``: ``model_bases``
    query_properties: dict[str, Expr] = field(default_factory=dict)  # ``Base.query = S.query_property()``


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, *([node.module] if node.module else [])])


def _bind(table: dict[str, list[Binding]], target: ast.AST, kind: str, value: ast.AST | None) -> None:
    if isinstance(target, ast.Name):
        table.setdefault(target.id, []).append((kind, from_ast(value)))


class _Reader(ast.NodeVisitor):
    """One walk of a module: scopes on a stack, facts into ``ModuleFacts``."""

    def __init__(self, facts: ModuleFacts, is_package: bool) -> None:
        self.facts, self.is_package = facts, is_package
        self.classes: list[ClassFacts] = []
        self.functions: list[FunctionFacts] = []
        self.function_nodes: list[ast.AST] = []  # the ``ast`` of each function on ``functions``
        self.called: set[int] = set()

    # -- scopes -----------------------------------------------------------------------------------

    def _qualname(self, name: str) -> str:
        scope = self.functions[-1].qualname if self.functions else (self.classes[-1].qualname if self.classes else None)
        return f"{scope}.{name}" if scope else name

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        cls = ClassFacts(self.facts.name, self._qualname(node.name), [from_ast(b) for b in node.bases])
        self.facts.classes[cls.qualname] = cls
        outer = self.functions
        self.classes.append(cls)
        self.functions = []
        for statement in node.body:
            value = getattr(statement, "value", None)
            if isinstance(value, ast.Call) and isinstance(statement, (ast.Assign, ast.AnnAssign)):
                target = statement.target if isinstance(statement, ast.AnnAssign) else statement.targets[0]
                if isinstance(target, ast.Name) and (dotted(from_ast(value.func)) or "").endswith("relationship"):
                    cls.relationships[target.id], cls.links[target.id] = from_ast(value.func), relations.read(value)
                    lazy = next((getattr(k.value, "value", None) for k in value.keywords if k.arg == "lazy"), None)
                    cls.dynamic.update([target.id] if lazy == "dynamic" else [])
                    mapped = getattr(getattr(statement, "annotation", None), "value", None)  # ``WriteOnlyMapped[X]``
                    if lazy in UNLOADABLE or getattr(mapped, "id", getattr(mapped, "attr", None)) in UNLOADABLE:
                        cls.unloadable.add(target.id)
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                cls.attrs.setdefault(statement.target.id, []).append((None, ("ann", from_ast(statement.annotation))))
            elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name):
                    cls.attrs.setdefault(target.id, []).append((None, ("value", from_ast(statement.value))))
            self.visit(statement)
        self.classes.pop()
        self.functions = outer

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        in_class = self.classes[-1].qualname if self.classes and not self.functions else None
        parent = self.functions[-1].qualname if self.functions else None
        qualname = f"{in_class}.{node.name}" if in_class else (f"{parent}.{node.name}" if parent else node.name)
        decorators = tuple(d for d in (_decorator_name(d) for d in node.decorator_list) if d)
        func = FunctionFacts(
            self.facts.name, qualname, in_class, parent, isinstance(node, ast.AsyncFunctionDef), decorators
        )
        arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        for arg in arguments:
            func.params[arg.arg] = from_ast(arg.annotation)
        func.defaults = defaults(node.args)
        func.first_param = arguments[0].arg if arguments and in_class else None
        func.patches = doubles.patch_decorators(node)
        func.returns = from_ast(node.returns)
        accessor = any(d.endswith((".setter", ".deleter")) for d in decorators)
        if not (accessor and qualname in self.facts.functions):  # the property's getter says what it gives
            self.facts.functions[qualname] = func
        if parent:  # a nested function is a local of the function around it
            self.functions[-1].locals.setdefault(node.name, []).append(("def", ("name", qualname)))
        if in_class:
            self.classes[-1].methods.add(node.name)
        self.functions.append(func)
        self.function_nodes.append(node)
        for statement in node.body:
            self.visit(statement)
        self.function_nodes.pop()
        self.functions.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_Lambda(self, node: ast.Lambda | ast.GeneratorExp) -> None:
        return None  # what a lambda or generator expression calls never makes its function async (TODOs do)

    visit_GeneratorExp = visit_Lambda

    # -- bindings ---------------------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            local = alias.asname or alias.name.split(".")[0]
            self._import(local, alias.name if alias.asname else local)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        source = _absolute(self.facts.name, node, self.is_package)
        for alias in node.names:
            if alias.name != "*":
                self._import(alias.asname or alias.name, f"{source}.{alias.name}")
            elif not self.functions and not self.classes:
                self.facts.star_imports.append(source)  # ``models/__init__.py``: ``from .user import *``

    def _import(self, local: str, dotted: str) -> None:
        if self.functions:
            self.functions[-1].locals.setdefault(local, []).append(("import", ("name", dotted)))
        else:
            self.facts.bindings[local] = dotted

    def _table(self) -> dict[str, list[Binding]] | None:
        if self.functions:
            return self.functions[-1].locals
        return None if self.classes else self.facts.variables

    def visit_Assign(self, node: ast.Assign) -> None:
        table = self._table()
        spec = doubles.mock_spec(node.value)
        if self.functions:
            thread_uses.bind_lambda(self.functions[-1].thread_lambdas, self.function_nodes[-1], node)
        for target in node.targets:
            if table is not None:
                _bind(table, target, "value", node.value)
            self._self_attribute(target, ("value", from_ast(node.value)))
            if spec is not None:  # ``Mock(spec=Repo)``: a Repo to the code (its coroutine methods AsyncMocks)
                if table is not None:
                    _bind(table, target, "ann", spec)
                self._self_attribute(target, ("ann", from_ast(spec)))
            if isinstance(target, ast.Attribute) and isinstance(node.value, (ast.Name, ast.Attribute)):
                self._stand_in(from_ast(target), node.value)
            elif isinstance(target, ast.Attribute) and isinstance(node.value, (ast.List, ast.Tuple)):
                for item in node.value.elts:  # ``patched.side_effect = [first, second]``: one for each call
                    self._stand_in(from_ast(target), item)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        table = self._table()
        if table is not None:
            _bind(table, node.target, "ann", node.annotation)
        self._self_attribute(node.target, ("ann", from_ast(node.annotation)))
        self.generic_visit(node)

    def _self_attribute(self, target: ast.AST, binding: Binding) -> None:
        """``self.x = ...`` in a method: an attribute of the class, typed in that method's scope."""
        if not (self.functions and isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)):
            return
        func = self.functions[-1]
        if func.cls and target.value.id == func.first_param:
            cls = self.facts.classes[func.cls]
            cls.attrs.setdefault(target.attr, []).append((func.qualname, binding))

    def _with(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            if self.functions:
                self.functions[-1].with_items.append(from_ast(item.context_expr))
                if item.optional_vars is not None:
                    _bind(self.functions[-1].locals, item.optional_vars, "with", item.context_expr)
                    doubles.bind_with_patch(self.functions[-1].with_patches, item)
        self.generic_visit(node)

    visit_With = _with
    visit_AsyncWith = _with

    def _for(self, node: ast.For | ast.AsyncFor) -> None:
        if self.functions:
            self.functions[-1].iterated.append(from_ast(node.iter))
        self.generic_visit(node)

    visit_For = _for
    visit_AsyncFor = _for

    # -- uses -------------------------------------------------------------------------------------

    def _callbacks(self, node: ast.Call, callee: Expr) -> None:
        """Functions handed to something that will call them without awaiting (a thread, ``sorted``)."""
        name = dotted(callee) or ""
        positional = name.rpartition(".")[2] in SYNC_CALLERS and not thread_uses.is_waited(node)
        values = [a for a in node.args if positional] + [k.value for k in node.keywords if k.arg in SYNC_KEYWORDS]
        for value in values:
            if isinstance(value, (ast.Name, ast.Attribute)):
                where = f"{name}({_keyword(node, value)}=...)" if _keyword(node, value) else f"{name}(...)"
                self.facts.callbacks.append(
                    (self.functions[-1].qualname if self.functions else None, from_ast(value), where)
                )

    def _thunks(self, node: ast.Call, callee: Expr) -> None:
        """Lambdas of no parameters handed to a call, with the callee of their body (``thunks`` reads them)."""
        if not self.functions:
            return
        handed = [(i, a) for i, a in enumerate(node.args)] + [(k.arg, k.value) for k in node.keywords if k.arg]
        if any(isinstance(a, ast.Starred) for a in node.args):
            handed = [(k, a) for k, a in handed if isinstance(k, str)]  # positions unknown after ``*args``
        for where, value in handed:
            if isinstance(value, ast.Lambda) and not thread_uses.has_params(value):
                body = from_ast(value.body) if isinstance(value.body, ast.Call) else None
                self.functions[-1].thunks.append((callee, where, body[1] if body and body[0] == "call" else None))

    def _thread(self, node: ast.Call, callee: Expr) -> None:
        """``Thread(target=..., args=(...))`` in a function: what it runs (``threads`` reads it)."""
        target = next((k.value for k in node.keywords if k.arg == "target"), None)
        if not self.functions or target is None or (dotted(callee) or "").rpartition(".")[2] != "Thread":
            return
        handed = next((k.value for k in node.keywords if k.arg == "args"), None)
        items = tuple(from_ast(e) for e in handed.elts) if isinstance(handed, ast.Tuple | ast.List) else None
        if items is not None and any(isinstance(e, ast.Starred) for e in handed.elts):
            items = None
        use = thread_uses.use(self.function_nodes[-1], node)
        self.functions[-1].threads.append((callee, thread_uses.runs(target), items, use))

    def _stand_in(self, replaced: Expr | str, value: ast.AST | None) -> None:
        if isinstance(value, (ast.Name, ast.Attribute)) and replaced:
            scope = self.functions[-1].qualname if self.functions else None
            self.facts.stand_ins.append((scope, replaced, from_ast(value)))

    def _patch(self, node: ast.Call, callee: Expr) -> None:
        for replaced, value in doubles.replaced(node, callee):
            self._stand_in(replaced, value)
            if isinstance(replaced, str):
                self.facts.patch_paths.append(replaced)

    def visit_Call(self, node: ast.Call) -> None:
        callee = from_ast(node)
        thread_uses.wait_for_submit(self, node)  # ``pool.submit(f, a).result()`` calls ``f``
        if callee == ("call", ("attr", ("name", "monkeypatch"), "setattr")) and node.args:
            if isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                self.facts.patched.append(node.args[0].value)
        if callee is not None and callee != ("super",):
            self._patch(node, callee[1])
            self._callbacks(node, callee[1])
            self._thunks(node, callee[1])
            self._thread(node, callee[1])
            values = [*node.args, *(k.value for k in node.keywords)]
            named = any(isinstance(a, (ast.Name, ast.Attribute)) for a in values)
            if self.functions and (named or any(isinstance(a, ast.Call) for a in values)):
                positional = tuple(from_ast(a) for a in node.args if not isinstance(a, ast.Starred))
                keywords = tuple((k.arg, from_ast(k.value)) for k in node.keywords if k.arg)
                made = self.functions[-1].arguments if named else self.functions[-1].built_arguments
                made.append((callee[1], positional, keywords))
        if callee is not None and callee != ("super",):
            self.called.add(id(node.func))
            (self.functions[-1].calls if self.functions else self.facts.module_calls).append(callee[1])
            if self.functions and callee[1][0] == "attr" and callee[1][2] in METADATA_METHODS and len(node.args) == 1:
                self.functions[-1].metadata_binds.append(from_ast(node.args[0]))
            if self.functions and callee[1][0] == "attr" and callee[1][2] in METADATA_METHODS and node.keywords:
                bind = [k.value for k in node.keywords if k.arg == "bind"]
                self.functions[-1].metadata_binds.extend(from_ast(b) for b in bind)
        self.generic_visit(node)

    def _used(self, node: ast.Name | ast.Attribute) -> None:
        if self.functions and id(node) not in self.called and isinstance(node.ctx, ast.Load):
            self.functions[-1].references.append(from_ast(node))

    def visit_Name(self, node: ast.Name) -> None:
        self._used(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._used(node)
        if isinstance(node.value, (ast.Name, ast.Attribute)):
            self.called.add(id(node.value))  # ``a`` in ``a.b`` is not a use of ``a`` as a callable
        self.visit(node.value)

    def visit_Return(self, node: ast.Return) -> None:
        if self.functions and node.value is not None:
            self.functions[-1].return_values.append(from_ast(node.value))
            self.functions[-1].handed_on.extend(handed_on(node.value))
        self.generic_visit(node)

    def _yield(self, node: ast.Yield | ast.YieldFrom) -> None:
        if self.functions:
            self.functions[-1].is_generator = True
            self.functions[-1].return_values.append(from_ast(node.value) if node.value is not None else None)
        self.generic_visit(node)

    visit_Yield = _yield
    visit_YieldFrom = _yield


def _keyword(call: ast.Call, value: ast.AST) -> str:
    return next((k.arg for k in call.keywords if k.value is value and k.arg), "")


def _decorator_name(node: ast.AST) -> str | None:
    return dotted(from_ast(node.func if isinstance(node, ast.Call) else node))


def read(tree: ast.Module, name: str, relative: str, *, is_package: bool) -> ModuleFacts:
    facts = ModuleFacts(name, relative, query_properties=query_properties.read(tree))
    _Reader(facts, is_package).visit(tree)
    facts.flows, facts.model_classes = handler_flows.read(tree), model_bases.read(tree)
    return facts
