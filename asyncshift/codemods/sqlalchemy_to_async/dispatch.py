"""Await propagation through callables handed around as values and called later (``handler_flows`` reads them).

``for handler in self.event_handlers[type(event)]: handler(event)`` calls whatever the bus was handed: here the
lambdas ``inject_dependencies`` wrapped around each function of ``EVENT_HANDLERS``. Once those functions became
coroutine functions, such a call made them coroutines that nothing awaited (dropped, with only a warning at exit).

Each call through a name, a subscript or ``self.x`` that nothing types (a dispatch site) is followed back to the
functions that can reach it: through containers, loop and comprehension variables, subscripts, lambdas and
``functools.partial`` wrapping a function, parameters (every call of the run handing them a value, and the classes
or functions a decorator factory decorates for the function it returns), ``self.x`` attributes, returns, module
variables and imports; an instance built from a class of the run calls its ``__call__`` (a registry filled by
``@register(kind) class Renderer`` with ``self.renderers[kind] = cls()``), and a method called on what a table of
classes builds (``auth = _classes[kind](**kwargs); auth.can(...)``) is each class's method of that name (async in
some, sync in others: before, nothing awaited it). When one of them became a coroutine function:

- every callable reaching the site is a function of the run: the sync ones become coroutine functions too (they
  share the colour of the table they sit in, as overriding methods do), the function calling becomes async and
  awaits the call; naming them in the table gets no TODO; through ``_awaited`` when a test patches a module variable
  the callee was followed through (``patched_tables``: the test's sync mock may be what is called);
- otherwise (a sync lambda, a function from outside the run, a value not followed): the call is awaited through
  ``_awaited`` (a sync callable's value is given as it is) with a TODO to make them all coroutine functions.

In a method Flask calls without awaiting (``sync_views``) the call runs on the loop serving the request instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import named_methods, patched_tables, python_calls, sync_views, view_decorators
from codemods.sqlalchemy_to_async.exprs import Expr, callee_text, dotted, from_cst
from codemods.sqlalchemy_to_async.handler_flows import Flow, Flows
from codemods.sqlalchemy_to_async.view_decorators import through_awaited

# typed by an annotation naming a class from outside the run (``Callable``, ``dict[str, list[Handler]]``): what it
# holds is still followed; a function, class or instance of the run, a session, a module is what it is
UNTYPED = ("extern:", "ref:typing.", "ref:collections.abc.")
AWAIT, MAYBE, PATCHED = "await", "maybe", "patched"


@dataclass(frozen=True)
class Reach:
    functions: frozenset[str] = frozenset()  # ids of the run's functions that may be called
    others: bool = False  # something else may be called (or a value was not followed)
    origins: frozenset[tuple] = frozenset()  # (module, scope, dotted) where each function is named
    classes: frozenset[str] = frozenset()  # ids of the run's classes (called: built, sync)
    instances: frozenset[str] = frozenset()  # ids of the run's classes whose instances are held (``members``)
    tables: frozenset[tuple[str, str]] = frozenset()  # (module, name) of the module variables followed

    def __or__(self, other: Reach) -> Reach:
        if other is NOTHING or other is self:  # most values reach nothing: no new sets for them
            return self
        if self is NOTHING:
            return other
        return Reach(
            self.functions | other.functions,
            self.others or other.others,
            self.origins | other.origins,
            self.classes | other.classes,
            self.instances | other.instances,
            self.tables | other.tables,
        )


NOTHING, OTHERS = Reach(), Reach(others=True)
BUDGET = 5000  # leaves worked out per site; a real app's sites take a few hundred, its cycles of names far more


@dataclass
class Dispatch:
    reaches: dict[tuple[str, str, str], Reach] = field(default_factory=dict)  # (module, function, callee text)
    verdicts: dict[str, dict[str, str]] = field(default_factory=dict)  # function id -> callee text -> verdict
    refs: set[tuple] = field(default_factory=set)  # origins of functions every site reaching awaits
    named: dict[tuple[str, str | None, str], tuple[Reach, str, bool]] = field(default_factory=dict)  # named_methods


class _Resolver:
    def __init__(self, project: Any, *, typed: bool = False) -> None:
        self.project, self.types = project, project.types
        self.typed = typed  # an instance of a class of the run, typed, is that class (``named_methods``)
        self.memo: dict[tuple, Reach] = {}
        self.busy: set[tuple] = set()
        self.cut = False  # a value was asked while being worked out: what depends on it is not kept
        self.index: dict[tuple[str, str], list[tuple[str, str | None, Flow]]] | None = None
        self.spent = 0  # leaves worked out for the site being resolved (``site``)
        self.empty = Flows()  # a module with no flows: one for all (read only)
        self.set_on: tuple[int, dict[str, list[tuple]]] = (-1, {})  # ``set_on`` by attribute, per module count

    def site(self, module: str, scope: str | None, value: Flow) -> Reach:
        """A site's callee, within a budget: a value under a cycle is worked out again each time it is asked (what
        depends on a cut is not kept), which names given each other's values multiply by every order they can be
        visited in; past the budget what is left is not followed (OTHERS, as any value the codemod cannot follow)."""
        self.spent = 0
        return self.flow(module, scope, value)

    def flows(self, module: str) -> Flows:
        facts = self.project.modules.get(module)
        return getattr(facts, "flows", None) or self.empty

    def flow(self, module: str, scope: str | None, value: Flow) -> Reach:
        found = NOTHING
        for leaf in value:
            found = found | self.leaf(module, scope, leaf)
        return found

    def leaf(self, module: str, scope: str | None, leaf: tuple) -> Reach:
        key = (module, scope, leaf)
        if key in self.memo:
            return self.memo[key]
        if key in self.busy:
            self.cut = True
            return NOTHING
        self.spent += 1
        if self.spent > BUDGET:
            self.cut = True  # not kept: another site may follow it whole
            return OTHERS
        self.busy.add(key)
        cut, self.cut = self.cut, False
        try:
            found = self._leaf(module, scope, leaf)
        finally:
            self.busy.discard(key)
        if not self.cut:
            self.memo[key] = found
        self.cut = self.cut or cut
        return found

    def _leaf(self, module: str, scope: str | None, leaf: tuple) -> Reach:
        if leaf[0] == "member":
            found = self.types.type_of(module, scope, leaf[1])
            if found and found.startswith("func:"):
                return self._leaf(module, scope, ("ret", leaf[1]))
            return self.flow(module, scope, leaf[2])  # a container's: what it holds
        if leaf[0] == "ret":
            found = self.types.type_of(module, scope, leaf[1])
            if not found or not found.startswith("func:"):  # ``cls()``: an instance of each class ``cls`` may be
                return self._built(module, scope, leaf[1])
            target = self.project.by_id(found[5:])
            if target is None:
                return OTHERS
            returned = self.flows(target.module).returns.get(target.qualname, [])
            return self._all([(target.module, target.qualname, value) for value in returned])
        if leaf[0] != "ref":
            return OTHERS
        expr = leaf[1]
        found = self.types.type_of(module, scope, expr)
        if found and found.startswith("func:"):
            return Reach(frozenset({found[5:]}), origins=frozenset({(module, scope, dotted(expr))}))
        if found and found.startswith("class:"):
            return Reach(classes=frozenset({found[6:]}))
        if self.typed and found and named_methods.of_the_run(self.project, found):
            return Reach(instances=frozenset({found[5:]}))
        if found and not found.startswith(UNTYPED):
            return OTHERS
        if expr[0] == "name":
            return self.name(module, scope, expr[1])
        if expr[0] == "attr":
            base = self.types.type_of(module, scope, expr[1])
            if base and base.startswith("mod:"):
                return self.global_name(base[4:], expr[2])
            if base and base.startswith("inst:"):
                return self.attribute(*base[5:].split(":", 1), expr[2])
        return OTHERS

    def _built(self, module: str, scope: str | None, callee: Expr) -> Reach:
        """What calling ``callee`` gives: an instance of each class it may be, when it may be classes only
        (``table[kind](**kwargs)``: what the table holds)."""
        while callee[0] == "generic":  # a subscript holds what its container holds
            callee = callee[1]
        built = self.flow(module, scope, (("ref", callee),))
        only = built.classes and not (built.functions or built.others or built.instances)
        return Reach(instances=built.classes, tables=built.tables) if only else OTHERS

    def members(self, held: Reach, name: str) -> Reach:
        """What calling ``name`` on what ``held`` holds may call: each instance's method of its class (``__call__``,
        a call of the value itself: ``cls()`` kept in a registry and called later; ``sender.should_send()`` on what
        ``manager.get(kind)`` built); a class called is built (sync), anything else is not followed."""
        called = name == "__call__"
        found = Reach(held.functions if called else frozenset(), held.others, held.origins if called else frozenset())
        found = found | Reach(tables=held.tables)
        if held.classes or (held.functions and not called):
            found = found | OTHERS
        for cls in held.instances:
            module, _, qualname = cls.partition(":")
            owner = next((c for c in self.project.mro(module, qualname) if name in c.methods), None)
            found = found | (Reach(frozenset({f"{owner.module}:{owner.qualname}.{name}"})) if owner else OTHERS)
        return found

    def _all(self, values: list[tuple[str, str | None, Flow]]) -> Reach:
        found = NOTHING
        for module, scope, value in values:
            found = found | self.flow(module, scope, value)
        return found

    def name(self, module: str, scope: str | None, name: str) -> Reach:
        flows = self.flows(module)
        func = self.project.function(module, scope)
        while func is not None:
            key = (func.qualname, name)
            if key in flows.names or key in flows.mutations:
                bound = [*flows.names.get(key, []), *flows.mutations.get(key, [])]
                return self._all([(module, func.qualname, value) for value in bound])
            if name in func.params:
                return OTHERS if name == func.first_param else self.parameter(func, name)
            func = self.project.function(module, func.parent)
        return self.global_name(module, name)

    def global_name(self, module: str, name: str, depth: int = 0) -> Reach:
        flows, facts = self.flows(module), self.project.modules.get(module)
        if facts is None or depth > 8:
            return OTHERS
        bound = [*flows.names.get((None, name), []), *flows.mutations.get((None, name), [])]
        values = [(module, None, value) for value in bound]
        for (scope, put), found in flows.mutations.items():  # ``HANDLERS.append(f)`` in a function: the global
            func = self.project.function(module, scope)
            if put == name and func is not None and (scope, name) not in flows.names and name not in func.params:
                values += [(module, scope, v) for v in found]
        table = Reach(tables=frozenset({(module, name)}))
        if values:
            return self._all(values) | table
        if name in facts.bindings:
            source, _, attr = facts.bindings[name].rpartition(".")
            found = self.project.resolve(source) if source else None
            if found is not None:
                return self.global_name(found, attr, depth + 1) | table
        return OTHERS

    def attribute(self, module: str, cls: str, name: str) -> Reach:
        values = []
        owners = self.project.mro(module, cls)
        for owner in owners:
            for method, value in self.flows(owner.module).attrs.get((owner.qualname, name), []):
                values.append((owner.module, method, value))
        kinds = {f"inst:{owner.module}:{owner.qualname}" for owner in owners}
        for other, scope, base, value in self._set_on().get(name, ()):  # ``bus.handlers = [...]`` from outside
            if self.types.type_of(other, scope, base) in kinds:
                values.append((other, scope, value))
        return self._all(values) if values else OTHERS

    def _set_on(self) -> dict[str, list[tuple]]:
        """Each module's ``set_on`` by attribute, in the modules' order (made again when a module was added)."""
        if self.set_on[0] != len(self.project.modules):
            index: dict[str, list[tuple]] = {}
            for other in list(self.project.modules):
                for scope, base, attr, value in self.flows(other).set_on:
                    index.setdefault(attr, []).append((other, scope, base, value))
            self.set_on = (len(self.project.modules), index)
        return self.set_on[1]

    def parameter(self, func: Any, name: str) -> Reach:
        values = list(self._index().get((func.id, name), [])) + self._decorated(func, name)
        default = func.defaults.get(name)
        if default is not None:
            leaf = ("ret", default[1]) if default[0] == "call" else ("ref", default)
            values.append((func.module, func.parent, (leaf,)))
        return self._all(values) if values else OTHERS

    def _decorated(self, func: Any, name: str) -> list[tuple[str, str | None, Flow]]:
        """``@register(kind) class Renderer``: the decorated classes and functions are handed to ``name`` when it is
        the first parameter of the function the decorator factory returns (``def register(kind): def wrapped(cls):
        ...; return wrapped``)."""
        outer = self.project.function(func.module, func.parent) if func.parent else None
        if outer is None or ("name", func.name) not in outer.return_values or next(iter(func.params), None) != name:
            return []
        return [
            (module, scope, (("ref", ("name", decorated)),))
            for module in list(self.project.modules)
            for scope, factory, decorated in self.flows(module).decorations
            if self.types.type_of(module, scope, factory) == f"func:{outer.id}"
        ]

    def _index(self) -> dict[tuple[str, str], list[tuple[str, str | None, Flow]]]:
        """(function id, parameter) -> (module, scope, value) of each argument the run's calls hand it."""
        if self.index is None:
            self.index = {}
            for module in list(self.project.modules):
                for scope, callee, positional, keywords in self.flows(module).calls:
                    places = [(i, None, v) for i, v in enumerate(positional)] + [(None, k, v) for k, v in keywords]
                    for position, keyword, value in places:
                        landing = self.types.landing(module, scope, callee, position, keyword)
                        if landing is not None:
                            self.index.setdefault((landing[0].id, landing[1]), []).append((module, scope, value))
        return self.index


def _untyped(project: Any, module: str, scope: str, value: Flow) -> bool:
    """A site's callee nothing types (a call the other rules do not already decide)."""
    if len(value) != 1 or value[0][0] != "ref":
        return True
    found = project.types.type_of(module, scope, value[0][1])
    return found is None or found.startswith(UNTYPED)


def _prepare(project: Any) -> Dispatch:
    state = Dispatch()
    resolver = _Resolver(project)
    # a decorator's ``@wraps`` wrapper calling the function it wraps: ``view_decorators`` decides that call
    wrappers = {(wrapper, param) for wrapper, (_, param) in view_decorators._wrappers(project).items()}
    for module in list(project.modules):
        flows = resolver.flows(module)
        sites = [(*site, "__call__") for site in flows.sites] + list(flows.method_sites)
        for scope, text, value, member in sites:
            if project.function(module, scope) is None or not _untyped(project, module, scope, value):
                continue
            if (f"{module}:{scope}", text) in wrappers:
                continue
            reach = resolver.members(resolver.site(module, scope, value), member)
            key = (module, scope, text)  # calls written alike in one function share a verdict: it holds for all
            state.reaches[key] = state.reaches.get(key, NOTHING) | reach
    state.named = named_methods.prepare(project, _Resolver(project, typed=True), NOTHING)
    return state


def _promotable(project: Any, function_id: str) -> bool:
    func = project.by_id(function_id)
    return func is not None and not func.is_generator and function_id not in project.held_sync


def colour(project: Any) -> bool:
    """One round of the colouring fixpoint: the sites' verdicts, the sync functions sharing a table with coroutine
    functions made async. True when something changed."""
    if project.dispatch is None:
        project.dispatch = _prepare(project)
    state, changed = project.dispatch, False
    verdicts: dict[str, dict[str, str]] = {}
    refs: set[tuple] = set()
    for (module, scope, text), reach in state.reaches.items():
        site = f"{module}:{scope}"
        if not any(project.gives_coroutine(f) for f in reach.functions) or (site, text) in project.coroutine_params:
            continue
        sync = [f for f in reach.functions if not project.gives_coroutine(f)]
        whole = not reach.others and site not in project.held_sync and all(_promotable(project, f) for f in sync)
        if whole and sync:
            project.becoming_async.update(sync)
            changed = True
        verdict = (PATCHED if patched_tables.any_patched(project, reach.tables) else AWAIT) if whole else MAYBE
        verdicts.setdefault(site, {})[text] = verdict
        refs |= reach.origins
    named_methods.colour(project, state.named, verdicts)  # ``getattr(repo, name)(...)``
    changed = changed or verdicts != state.verdicts
    state.verdicts, state.refs = verdicts, refs
    return changed


def awaits(project: Any, function_id: str) -> bool:
    """Whether the function calls, through a dispatch site, what may be a coroutine function now."""
    return project.dispatch is not None and function_id in project.dispatch.verdicts


def dispatched(conv: Any, original: cst.BaseExpression) -> bool:
    """A function named where it is put into a table whose dispatch sites await it: no TODO on the name."""
    state = conv.project.dispatch
    return state is not None and (conv.name, conv.function, dotted(from_cst(original))) in state.refs


def call(conv: Any, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``handler(event)`` at a dispatch site: awaited (through ``_awaited`` when sync callables may reach it too,
    with a TODO); None when the call is no dispatch site."""
    state = conv.project.dispatch
    verdicts = state.verdicts.get(conv.function_id or "", {}) if state is not None else {}
    named = named_methods.is_site(original)  # ``getattr(repo, name)(...)``
    if named and (conv.lambdas or conv.function_id is None):  # no await can go there: a TODO when it needs one
        named_methods.unawaitable(conv, original, callee_text(conv.module.code_for_node(original.func)), NOTHING)
        return None
    if not (verdicts or named) or conv.lambdas or id(original) in conv.awaited or id(original) in conv.coroutine_args:
        return None
    text = callee_text(conv.module.code_for_node(original.func))
    verdict = verdicts.get(text)
    if verdict is None:
        return named_methods.unfollowed(conv, original, updated, text, NOTHING) if named else None
    if sync_views.is_held_here(conv):  # a view Flask calls: a sync callable's value passes the helper as it is
        return sync_views.on_serving_loop(conv, f"{text}()", updated)
    registered = python_calls.REGISTERED in conv.project.held_sync.get(conv.function_id or "", "")
    if registered and python_calls.runs_here(conv):  # a library's caller: a sync callable's value as it is
        return python_calls.run_to_end(conv, f"{text}()", updated)
    if not conv.can_await(f"{text}()", "may call a coroutine function now"):
        return updated
    if verdict == AWAIT:
        return cst.Await(updated)
    if verdict in (named_methods.NAMED, PATCHED):  # a test's mock in a patched table: its value as it is too
        return through_awaited(conv, updated)  # a sync method of the class gives its value as it is
    reach = state.reaches[(conv.name, conv.function, text)]
    names = sorted({f.partition(":")[2] for f in reach.functions if conv.project.gives_coroutine(f)})
    awaited = through_awaited(conv, updated)
    helper = conv.helpers["awaited"][0]
    conv.todo(
        f"{text}() may call a coroutine function now ({', '.join(names[:3])}{'...' if len(names) > 3 else ''}) "
        f"or a sync callable the codemod cannot make one: awaited through {helper}; make them all coroutine functions"
    )
    return awaited
