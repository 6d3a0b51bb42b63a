"""Where callables handed around as values go: the first pass's facts for ``dispatch``.

A message bus keeps its handlers in a dict of lists (``EVENT_HANDLERS = {Allocated: [publish, add_to_view]}``),
wraps each one (``lambda message: handler(message, **deps)``, ``functools.partial(handler, uow=uow)``), hands the
result to a class that stores it (``self.event_handlers = event_handlers``) and calls it much later, through a
subscript or a loop variable (``for handler in self.event_handlers[type(event)]: handler(event)``). No type says
what ``handler`` is there. These facts let ``dispatch`` follow the values back to the functions they hold.

Containers are not told apart from what they hold: a dict of lists of functions, its ``.items()``, a loop
variable over it and a subscript of it all "hold" the same functions (an over-approximation: a call through any of
them may call any of those functions). Each value is a ``Flow``, a tuple of leaves:

- ``("ref", expr)``: a name or attribute (a function, a variable, a parameter, ``self.x``), resolved later;
- ``("ret", callee)``: what a call of ``callee`` returns;
- ``("member", callee, flow of x)``: ``x.get(k)``: what the method returns when ``callee`` is one of the run's,
  else what ``x`` holds (a container's ``get``, ``items``...);
- ``("sync",)``: a callable that is sync whatever the run does (a lambda not calling anything);
- ``("opaque",)``: anything else (a value the codemod cannot follow).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from codemods.sqlalchemy_to_async.exprs import Expr, dotted, from_ast

Flow = tuple[tuple, ...]
OPAQUE: Flow = (("opaque",),)
ANY = "*"  # ``getattr(x, name)`` with a name that is no literal: any method of x (``"on_*"``: any named on_...)
# calls whose value holds what their receiver (or their arguments) hold
CONTAINER_METHODS = {"get", "items", "values", "copy", "pop", "setdefault", "popitem"}
HOLDING_CALLS = {"list", "tuple", "set", "frozenset", "sorted", "reversed", "iter", "next", "dict"}
HOLDING_CALLS |= {"deque", "collections.deque", "OrderedDict", "collections.OrderedDict"}
FACTORY_FIRST = {"defaultdict", "collections.defaultdict"}  # ``defaultdict(list)``: its first argument makes values
PARTIALS = {"partial", "functools.partial"}
# calls that put their (last) argument into the receiver: ``handlers.append(f)``, ``HANDLERS[t].append(f)``
MUTATIONS = {"append", "add", "extend", "insert", "update", "setdefault", "appendleft"}


@dataclass
class Flows:
    names: dict[tuple[str | None, str], list[Flow]] = field(default_factory=dict)  # (scope, name) -> values bound
    mutations: dict[tuple[str | None, str], list[Flow]] = field(default_factory=dict)  # (scope, name) -> put into it
    attrs: dict[tuple[str, str], list[tuple[str | None, Flow]]] = field(default_factory=dict)  # (class, attr)
    # ``bus.handlers = [...]``, ``bus.handlers.append(f)`` on another object: (scope, the object, attr, value)
    set_on: list[tuple[str | None, Expr, str, Flow]] = field(default_factory=list)
    # (scope, callee, positional flows, keyword flows): every call handing a value that may hold a callable
    calls: list[tuple[str | None, Expr, tuple, tuple]] = field(default_factory=list)
    returns: dict[str, list[Flow]] = field(default_factory=dict)  # function qualname -> what it returns
    sites: list[tuple[str, str, Flow]] = field(default_factory=list)  # (function, callee's text, callee's flow)
    # ``sender.send(x)`` on a local or parameter nothing may type: (function, callee's text, the name's flow, method)
    method_sites: list[tuple[str, str, Flow, str]] = field(default_factory=list)
    # ``getattr(repo, name)(...)``: (function or None, callee's text, the receiver's flow, the name or ANY, whether an
    # await can go there: not at module level, in a lambda or a generator expression): ``named_methods``
    named_sites: list[tuple[str | None, str, Flow, str, bool]] = field(default_factory=list)
    # ``@factory(...)`` on a class or function: (scope, the factory, the decorated name); what ``factory(...)``
    # returns is handed the decorated value (``dispatch``: a registry filled by ``@register(kind) class ...``)
    decorations: list[tuple[str | None, Expr, str]] = field(default_factory=list)
    # ``param.attr`` anywhere in a function (lambdas and generator expressions too): (function, param, attr),
    # for ``handed_reads``
    reads: set[tuple[str, str, str]] = field(default_factory=set)
    # ``self.attr`` read in a method: (function, attr), for ``handed_reads``' sync-only methods (a property...)
    self_reads: set[tuple[str, str]] = field(default_factory=set)
    # ``name.attr`` read off a local of a function: (function, name, attr), for ``handed_reads``
    local_reads: set[tuple[str, str, str]] = field(default_factory=set)


def flow(node: ast.AST | None) -> Flow:
    """What callables ``node``'s value may be or hold."""
    if node is None or isinstance(node, ast.Constant):
        return ()
    if isinstance(node, (ast.Name, ast.Attribute)):
        expr = from_ast(node)
        return (("ref", expr),) if expr else OPAQUE
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return _union(node.elts)
    if isinstance(node, ast.Dict):
        return _union(node.values)
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return flow(node.elt)
    if isinstance(node, ast.DictComp):
        return flow(node.value)
    if isinstance(node, (ast.Subscript, ast.Starred, ast.NamedExpr)):
        return flow(node.value)
    if isinstance(node, ast.IfExp):
        return flow(node.body) + flow(node.orelse)
    if isinstance(node, ast.BoolOp):
        return _union(node.values)
    if isinstance(node, ast.Lambda):  # ``lambda m: handler(m, **deps)`` calls what ``handler`` is
        return flow(node.body.func) if isinstance(node.body, ast.Call) else (("sync",),)
    if isinstance(node, ast.Call):
        return _call(node)
    return OPAQUE


def _union(nodes: list) -> Flow:
    return tuple(leaf for node in nodes for leaf in flow(node))


def _call(node: ast.Call) -> Flow:
    func = node.func
    name = dotted(from_ast(func)) or ""
    if isinstance(func, ast.Attribute) and func.attr in CONTAINER_METHODS:
        callee = from_ast(func)  # ``registry.get(name)``: a method of a class of the run's, when it is one
        return (("member", callee, flow(func.value)),) if callee else flow(func.value)
    if name in PARTIALS and node.args:
        return flow(node.args[0])
    if name in HOLDING_CALLS or name in FACTORY_FIRST:
        skip = 1 if name in FACTORY_FIRST else 0
        return _union([*node.args[skip:], *(k.value for k in node.keywords)])
    callee = from_ast(func)
    return (("ret", callee),) if callee else OPAQUE


def _container(node: ast.AST) -> ast.AST:
    """The variable a value is put into: ``X`` of ``X[k]``, ``X.setdefault(k, [])``, ``X.get(k)``."""
    while True:
        if isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) in CONTAINER_METHODS:
            node = node.func.value
        else:
            return node


def _names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for item in target.elts for n in _names(getattr(item, "value", item))]
    return []


def _holds(value: Flow) -> bool:
    return any(leaf[0] != "opaque" for leaf in value)


class _Reader(ast.NodeVisitor):
    def __init__(self) -> None:
        self.flows = Flows()
        self.functions: list[tuple[str, str | None, str | None]] = []  # (qualname, class, first parameter)
        self.params: list[set[str]] = []  # each function's parameters (but a method's first), as ``functions``
        self.classes: list[str] = []
        self.lambdas = 0
        self.generators = 0
        self.loops: list[dict[str, Flow]] = []  # the names the ``for`` loops being walked bind, innermost last

    @property
    def scope(self) -> str | None:
        return self.functions[-1][0] if self.functions else None

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        scope = self.functions[-1][0] if self.functions else (self.classes[-1] if self.classes else None)
        self._decorators(node, self.scope)
        self.classes.append(f"{scope}.{node.name}" if scope else node.name)
        outer, self.functions = self.functions, []
        for statement in node.body:
            if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        key = (self.classes[-1], target.id)
                        self.flows.attrs.setdefault(key, []).append((None, flow(statement.value)))
            self.visit(statement)
        self.classes.pop()
        self.functions = outer

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        in_class = self.classes[-1] if self.classes and not self.functions else None
        parent = self.scope
        qualname = f"{in_class}.{node.name}" if in_class else (f"{parent}.{node.name}" if parent else node.name)
        self._decorators(node, parent)
        arguments = [*node.args.posonlyargs, *node.args.args]
        first = arguments[0].arg if arguments and in_class else None
        self.functions.append((qualname, in_class, first))
        every = [*arguments, *node.args.kwonlyargs]
        self.params.append({a.arg for a in every if a.arg != first})
        lambdas, self.lambdas, generators, self.generators = self.lambdas, 0, self.generators, 0
        loops, self.loops = self.loops, []
        for statement in node.body:
            self.visit(statement)
        self.lambdas, self.loops, self.generators = lambdas, loops, generators
        self.functions.pop()
        self.params.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def _decorators(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef, scope: str | None) -> None:
        """A decorator hands it what it decorates: ``@register`` as a call, ``@register(kind)`` a decoration."""
        for decorator in node.decorator_list:
            self.visit(decorator)
            if isinstance(decorator, (ast.Name, ast.Attribute)) and from_ast(decorator):  # ``@register``
                self.flows.calls.append((scope, from_ast(decorator), ((("ref", ("name", node.name)),),), ()))
            elif isinstance(decorator, ast.Call) and from_ast(decorator.func):  # ``@register(kind)``
                self.flows.decorations.append((scope, from_ast(decorator.func), node.name))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self.functions and self.params and isinstance(node.value, ast.Name) and node.value.id in self.params[-1]:
            self.flows.reads.add((self.functions[-1][0], node.value.id, node.attr))
        elif self.functions and isinstance(node.ctx, ast.Load) and _named(node.value, self.functions[-1][2]):
            self.flows.self_reads.add((self.functions[-1][0], node.attr))
        elif self.functions and isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Name):
            self.flows.local_reads.add((self.functions[-1][0], node.value.id, node.attr))
        self.generic_visit(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.lambdas += 1
        self.generic_visit(node)
        self.lambdas -= 1

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self.generators += 1  # no await there either (only ``named_sites`` tell it apart)
        self.generic_visit(node)
        self.generators -= 1

    # -- values bound to names ---------------------------------------------------------------------

    def _bind(self, target: ast.AST, value: Flow) -> None:
        if isinstance(target, ast.Name):
            self.flows.names.setdefault((self.scope, target.id), []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for item in target.elts:  # ``for kind, handlers in TABLE.items()``: each may hold what it holds
                self._bind(item.value if isinstance(item, ast.Starred) else item, value)
        elif isinstance(target, ast.Attribute) and self._self(target.value):
            key = (self.functions[-1][1], target.attr)
            self.flows.attrs.setdefault(key, []).append((self.scope, value))
        elif isinstance(target, ast.Attribute) and from_ast(target.value) and _holds(value):
            self.flows.set_on.append((self.scope, from_ast(target.value), target.attr, value))
        elif isinstance(target, ast.Subscript):  # ``HANDLERS[kind] = handler``
            self._put(target, value)

    def _self(self, node: ast.AST) -> bool:
        return (
            bool(self.functions)
            and self.functions[-1][1] is not None
            and getattr(node, "id", 0) == (self.functions[-1][2])
        )

    def _put(self, into: ast.AST, value: Flow) -> None:
        container = _container(into)
        if not _holds(value):
            return
        if isinstance(container, ast.Name):
            self.flows.mutations.setdefault((self.scope, container.id), []).append(value)
        elif isinstance(container, ast.Attribute) and self._self(container.value):
            key = (self.functions[-1][1], container.attr)
            self.flows.attrs.setdefault(key, []).append((self.scope, value))
        elif isinstance(container, ast.Attribute) and from_ast(container.value):
            self.flows.set_on.append((self.scope, from_ast(container.value), container.attr, value))

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._put(node.target, flow(node.value))  # ``hooks += [f]``: put into what ``hooks`` is
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        value = flow(node.value)
        for target in node.targets:
            self._bind(target, value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, flow(node.value))
        self.generic_visit(node)

    def _for(self, node: ast.For | ast.AsyncFor) -> None:
        value = flow(node.iter)
        self._bind(node.target, value)
        self.visit(node.iter)
        self.loops.append({name: value for name in _names(node.target)})
        for statement in node.body:
            self.visit(statement)
        self.loops.pop()
        for statement in node.orelse:
            self.visit(statement)

    visit_For = _for
    visit_AsyncFor = _for

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self._bind(node.target, flow(node.iter))
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        if self.functions and node.value is not None:
            self.flows.returns.setdefault(self.scope, []).append(flow(node.value))
        self.generic_visit(node)

    # -- calls: values handed on, values put into containers, callables called ----------------------

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        callee = from_ast(func)
        positional = tuple(flow(a) for a in node.args if not isinstance(a, ast.Starred))
        keywords = tuple((k.arg, flow(k.value)) for k in node.keywords if k.arg)
        if callee and (any(map(_holds, positional)) or any(_holds(v) for _, v in keywords)):
            self.flows.calls.append((self.scope, callee, positional, keywords))
        if isinstance(func, ast.Attribute) and func.attr in MUTATIONS and node.args:
            self._put(func.value, flow(node.args[-1]))
        if self.functions and not self.lambdas and self._dispatched(func):
            # ``for handler in table: handler(x)``: what this loop binds, not every value the name is given
            looped = next((loop[func.id] for loop in reversed(self.loops) if getattr(func, "id", None) in loop), None)
            self.flows.sites.append((self.scope, ast.unparse(func), looped if looped is not None else flow(func)))
        elif self.functions and not self.lambdas and self._method_of_a_name(func):
            looped = next((loop[func.value.id] for loop in reversed(self.loops) if func.value.id in loop), None)
            held = looped if looped is not None else flow(func.value)
            self.flows.method_sites.append((self.scope, ast.unparse(func), held, func.attr))
        elif (named := _named_method(func)) is not None:
            awaits = bool(self.functions) and not self.lambdas and not self.generators
            self.flows.named_sites.append((self.scope, ast.unparse(func), flow(named[0]), named[1], awaits))
        self.generic_visit(node)

    def _method_of_a_name(self, func: ast.AST) -> bool:
        """``sender.send(...)``: a method of what a name (not ``self``) holds."""
        return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and not self._self(func.value)

    def _dispatched(self, func: ast.AST) -> bool:
        """A call through a name, a subscript or ``self.x``: what is called may be a value handed around."""
        if isinstance(func, ast.Name):
            return True
        if isinstance(func, ast.Attribute):
            return self._self(func.value)
        return isinstance(func, ast.Subscript) or (
            isinstance(func, ast.Call) and isinstance(func.func, ast.Attribute) and func.func.attr == "get"
        )


def _named_method(func: ast.AST) -> tuple[ast.AST, str] | None:
    """``getattr(x, name)`` called: ``x`` (``y`` of ``type(y)``) and the name, ANY when it is no string literal."""
    if not (isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "getattr"):
        return None
    if len(func.args) not in (2, 3) or func.keywords or any(isinstance(a, ast.Starred) for a in func.args):
        return None
    receiver, name = func.args[:2]
    if isinstance(receiver, ast.Call) and getattr(receiver.func, "id", None) == "type" and len(receiver.args) == 1:
        receiver = receiver.args[0]  # ``getattr(type(x), name)(x, ...)``: a method of x's class
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        return receiver, name.value
    while isinstance(name, ast.BinOp) and isinstance(name.op, ast.Add):  # ``"on_" + kind``: a method named on_...
        name = name.left
    if isinstance(name, ast.JoinedStr) and name.values:  # f"on_{kind}"
        name = name.values[0]
    literal = isinstance(name, ast.Constant) and isinstance(name.value, str) and ANY not in name.value
    return receiver, name.value + ANY if literal else ANY


def read(tree: ast.Module) -> Flows:
    reader = _Reader()
    reader.visit(tree)
    return reader.flows


def _named(node: ast.AST, name: str | None) -> bool:
    return name is not None and isinstance(node, ast.Name) and node.id == name
