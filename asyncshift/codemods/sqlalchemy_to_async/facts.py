"""What the first pass reads from each module with ``ast``: imports, variables, classes and functions.

Only what the type rules need: annotations, assigned values, ``with`` targets, the calls each function
makes and the functions it names without calling, into the records of ``fact_records`` (plain data, it must
pickle for ``-j``); what a call says is ``call_facts``', what a class body says ``class_bodies``'.
"""

from __future__ import annotations

import ast

from codemods.sqlalchemy_to_async import (
    built_classes,
    class_bodies,
    doubles,
    generated_inits,
    handler_flows,
    model_bases,
    query_class_shapes,
    query_properties,
    thread_uses,
)
from codemods.sqlalchemy_to_async.call_facts import CallReader
from codemods.sqlalchemy_to_async.exprs import defaults, dotted, from_ast, handed_on
from codemods.sqlalchemy_to_async.fact_records import Binding, ClassFacts, FunctionFacts, ModuleFacts


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, *([node.module] if node.module else [])])


def _declared_global(function: ast.AST) -> set[str]:
    """The names a function declares ``global`` (in its own body, not in functions or classes inside it)."""
    names: set[str] = set()
    pending = list(getattr(function, "body", []))
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Global):
            names.update(node.names)
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))
    return names


def _bind(
    table: dict[str, list[Binding]], target: ast.AST, kind: str, value: ast.AST | None, scope: str | None = None
) -> None:
    """``scope``: the function a module global is set in (``global repo; repo = Repo(db)``): its value is typed there,
    where the class is often imported (``("in", scope, value)``, ``declared_globals``)."""
    if isinstance(target, ast.Name):
        expr = from_ast(value)
        table.setdefault(target.id, []).append((kind, ("in", scope, expr) if scope and expr else expr))


class _Reader(CallReader):
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
        generated_inits.read(cls, node, self.facts.bindings)  # ``@dataclass``, ``@attr.s``: their ``__init__``
        outer = self.functions
        self.classes.append(cls)
        self.functions = []
        for statement in node.body:
            class_bodies.read(cls, statement)
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

    def _table(self, target: ast.AST | None = None) -> dict[str, list[Binding]] | None:
        """Where a name bound here is kept: the function's locals, the module's variables at the top or for a name
        the function declares ``global`` (``global engine; engine = create_engine(url)`` in a configure function)."""
        if self.functions:
            declared = isinstance(target, ast.Name) and target.id in _declared_global(self.function_nodes[-1])
            return self.facts.variables if declared else self.functions[-1].locals
        return None if self.classes else self.facts.variables

    def _scope(self, table: dict[str, list[Binding]] | None) -> str | None:
        """The function a module global is set in, else None."""
        return self.functions[-1].qualname if self.functions and table is self.facts.variables else None

    def visit_Assign(self, node: ast.Assign) -> None:
        spec = doubles.mock_spec(node.value)
        if self.functions:
            thread_uses.bind_lambda(self.functions[-1].thread_lambdas, self.function_nodes[-1], node)
        for target in node.targets:
            table = self._table(target)
            if table is not None:
                _bind(table, target, "value", node.value, self._scope(table))
            self._self_attribute(target, ("value", from_ast(node.value)))
            if spec is not None:  # ``Mock(spec=Repo)``: a Repo to the code (its coroutine methods AsyncMocks)
                if table is not None:
                    _bind(table, target, "ann", spec, self._scope(table))
                self._self_attribute(target, ("ann", from_ast(spec)))
            self._attribute_set(target, node.value)
            if isinstance(target, ast.Attribute) and isinstance(node.value, (ast.Name, ast.Attribute)):
                self._stand_in(from_ast(target), node.value)
            elif isinstance(target, ast.Attribute) and isinstance(node.value, (ast.List, ast.Tuple)):
                for item in node.value.elts:  # ``patched.side_effect = [first, second]``: one for each call
                    self._stand_in(from_ast(target), item)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        table = self._table(node.target)
        if table is not None:
            _bind(table, node.target, "ann", node.annotation, self._scope(table))
        self._self_attribute(node.target, ("ann", from_ast(node.annotation)))
        self.generic_visit(node)

    def _attribute_set(self, target: ast.AST, value: ast.AST | None) -> None:
        """Every ``x.a = value``, a call's result too (an element of ``x.a, y = ...`` as of unknown value)."""
        if isinstance(target, (ast.Tuple, ast.List)):
            for item in target.elts:
                self._attribute_set(item, None)
        elif isinstance(target, ast.Attribute) and from_ast(target):
            scope = self.functions[-1].qualname if self.functions else None
            self.facts.attribute_sets.append((scope, from_ast(target), from_ast(value)))

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
            each = from_ast(node.iter)  # ``for f in category.forums``: ``f`` one of them (``relation_types``)
            if isinstance(node.target, ast.Name):
                self.functions[-1].locals.setdefault(node.target.id, []).append(("value", each and ("each", each)))
        self.generic_visit(node)

    visit_For = _for
    visit_AsyncFor = _for

    # -- uses -------------------------------------------------------------------------------------

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


def _decorator_name(node: ast.AST) -> str | None:
    return dotted(from_ast(node.func if isinstance(node, ast.Call) else node))


def read(tree: ast.Module, name: str, relative: str, *, is_package: bool) -> ModuleFacts:
    facts = ModuleFacts(name, relative, query_properties=query_properties.read(tree))
    facts.query_classes = query_properties.read(tree, "query_cls")  # and its methods that only add steps:
    facts.query_wrappers = query_properties.wrappers(tree)
    facts.query_builders = query_class_shapes.read(tree)  # (methods returning a new query of their class)
    _Reader(facts, is_package).visit(tree)
    facts.flows, facts.model_classes = handler_flows.read(tree), model_bases.read(tree)
    facts.db_query_classes = model_bases.read(tree, "query_class")  # (``query_classes``)
    facts.built_classes = built_classes.read(tree)  # ``cls.Entry = type(name, (bases), ns)`` in a method
    return facts
