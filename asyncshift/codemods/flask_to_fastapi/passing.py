"""Passing the request down: helper functions that read ``flask.request`` take the ``Request`` as a parameter.

Flask code reads ``request`` anywhere (``def api_user(self): ... request.headers``); FastAPI hands the
request to the view, and the view passes it on. A first pass over every file of the run
(``discover``) finds the functions and methods that read the request, directly or through other
such functions, across modules; the rewriting pass then gives each a leading ``request: Request``
parameter and passes ``request`` at every call it can resolve (a local function, an imported one,
``self.method()``, ``obj.method()`` where ``obj`` is a parameter annotated with a known class).
After the walk, a view called from another view gets the request passed too (``pass_request_to_views``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import libcst as cst

from codemods.flask_to_fastapi import views_by_hand
from codemods.flask_to_fastapi.analysis import HOOKS, ROUTE_METHODS
from codemods.flask_to_fastapi.handed_values import handed_values, nested_functions, param_types
from codemods.flask_to_fastapi.names import dotted
from codemods.flask_to_fastapi.shadowing import HELPER_REQUEST
from codemods.modules import module_name

PROVIDED_DECORATORS = {*ROUTE_METHODS, *HOOKS, "errorhandler", "app_errorhandler"}
ROUTE_VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "api_route"}
REGISTERING_CALLS = {"register_error_handler", *HOOKS}


def is_package(relative: str | None, source: str | None) -> bool:
    name = Path(source).name if source else PurePosixPath(relative or "").name
    return name == "__init__.py"


def imports_of(module: cst.Module, name: str, package: bool) -> dict[str, str]:
    """Every local name the module binds by import, as a qualified name (relative imports resolved)."""
    found: dict[str, str] = {}
    base = name.split(".") if package else name.split(".")[:-1]

    class Imports(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                full = dotted(alias.name) or ""
                if alias.asname:
                    found[dotted(alias.asname.name)] = full
                else:
                    found[full.split(".")[0]] = full.split(".")[0]

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if isinstance(node.names, cst.ImportStar):
                return
            source = dotted(node.module) if node.module else ""
            if node.relative:
                up = len(node.relative)
                parent = base[: len(base) - (up - 1)] if up - 1 <= len(base) else []
                source = ".".join([*parent, *([source] if source else [])])
            for alias in node.names:
                imported = dotted(alias.name)
                local = dotted(alias.asname.name) if alias.asname else imported
                found[local] = f"{source}.{imported}" if source else imported

    module.visit(Imports())
    return found


@dataclass
class Function:
    reads: bool = False  # reads flask.request in its own body (nested functions are their own entries)
    provided: bool = False  # a view, handler or hook: the request is given to it
    parent: str | None = None  # the enclosing function's key, for nested functions
    calls: set[str] = field(default_factory=set)  # qualified names it calls
    as_value: bool = False  # handed over uncalled (``Babel(locale_selector=get_locale)``): its signature stays
    takes_request: bool = False  # a parameter bears the request's name (``def get_url(request)``): callers pass it
    defaulted: bool = False  # every parameter but ``self`` has a default: a request put first can have one too


@dataclass
class Project:
    """What ``discover`` found: the qualified names of the functions that need the request passed in."""

    needs_request: set[str] = field(default_factory=set)
    involved: tuple[str, ...] = ()  # files to convert without a needle (``run.py`` calling ``app.run()``)
    apps: frozenset[str] = frozenset()  # qualified names of apps and app factories, across the run
    helper_root: str | None = None  # the folder (relative to the run) the helpers are written to, once
    helper_package: str = ""  # its import name when it is a package ("" when it is a plain folder)
    blueprints: dict[str, str | None] = field(default_factory=dict)  # qualified name -> blueprint's own name
    method_views: dict[str, list[str]] = field(default_factory=dict)  # qualified class -> HTTP methods it defines
    dispatching: frozenset[str] = frozenset()  # qualified View classes answering by dispatch_request
    extension_objects: frozenset[str] = frozenset()  # an unconverted extension's classes and objects of the run
    consuming: frozenset[str] = frozenset()  # qualified view decorators using the view's result (view_decorators)
    called_by_tests: frozenset[str] = frozenset()  # functions the project's tests call: a request parameter defaults
    patched: frozenset[str] = frozenset()  # dotted names the project's tests patch (``pkg.views.current_app.config``)
    takes_request: frozenset[str] = frozenset()  # functions whose own parameter bears the request's name (read as it)
    request_state: frozenset[str] = frozenset()  # names the run's modules set on the request (``request_state``)
    packages: frozenset[str] = frozenset()  # the run's own top-level packages: no extension's, whatever their name
    returns: dict[str, bool] = field(default_factory=dict)  # functions and Cls.method: annotated (view_returns)


class Resolver:
    """Qualified names for calls in one module: local functions, imports, ``self.m()``, typed parameters."""

    def __init__(self, module: cst.Module, name: str, package: bool):
        self.name = name
        self.imports = imports_of(module, name, package)
        self.functions = {s.name.value for s in module.body if isinstance(s, cst.FunctionDef)}
        self.classes = {s.name.value for s in module.body if isinstance(s, cst.ClassDef)}

    def qualify(self, local: str) -> str | None:
        head, _, rest = local.partition(".")
        if head in self.functions or head in self.classes:
            return f"{self.name}.{local}"
        if head in self.imports:
            return self.imports[head] + (f".{rest}" if rest else "")
        return None

    def annotation_class(self, annotation: cst.Annotation | None) -> str | None:
        if annotation is None:
            return None
        node = annotation.annotation
        if isinstance(node, cst.SimpleString):
            try:
                node = cst.parse_expression(node.evaluated_value)
            except cst.ParserSyntaxError:
                return None
        local = dotted(node)
        return self.qualify(local) if local else None

    def call_target(
        self, func: cst.BaseExpression, klass: str | None, types: dict[str, str], local: dict[str, str] | None = None
    ) -> str | None:
        """The qualified name a call goes to, when it can be read from the code."""
        if isinstance(func, cst.Name):
            if local and func.value in local:
                return local[func.value]
            return self.qualify(func.value)
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            owner, method = func.value.value, func.attr.value
            if owner in ("self", "cls") and klass is not None:
                return f"{self.name}.{klass}.{method}"
            if owner in types:
                return f"{types[owner]}.{method}"
            qualified = self.qualify(owner)
            if qualified is not None and owner in self.imports:
                return f"{qualified}.{method}"
        return None


def _facts(module: cst.Module, name: str, package: bool, request_names: set[str]) -> dict[str, Function]:
    resolver = Resolver(module, name, package)
    registered: set[str] = set()
    facts: dict[str, Function] = {}

    class Registered(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in REGISTERING_CALLS and node.args:
                value = node.args[-1].value
                if isinstance(value, cst.Name):
                    registered.add(value.value)

    module.visit(Registered())

    class Reader(cst.CSTVisitor):
        def __init__(self) -> None:
            # (class, key, facts, parameter types, local functions) per enclosing function
            self.stack: list[tuple[str | None, str | None, Function, dict[str, str], dict[str, str]]] = []
            self.klass: str | None = None

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            if self.stack:
                return False  # classes inside functions are not followed
            self.klass = node.name.value
            return True

        def leave_ClassDef(self, node: cst.ClassDef) -> None:
            if not self.stack:
                self.klass = None

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            outer = self.stack[-1] if self.stack else None
            types = param_types(resolver, node, outer[3] if outer else {})
            if outer is None:
                key = f"{name}.{self.klass}.{node.name.value}" if self.klass else f"{name}.{node.name.value}"
                provided = (
                    node.name.value in registered and not self.klass or any(_provided(d) for d in node.decorators)
                )
            else:
                key = f"{outer[1]}.<locals>.{node.name.value}"
                provided = any(_provided(d) for d in node.decorators)
            function = Function(provided=provided, parent=outer[1] if outer else None)
            # its ``request`` is its own parameter (or its enclosing function's), not flask's
            function.takes_request = bool(_param_names(node) & request_names) or bool(outer and outer[2].takes_request)
            function.as_value = not provided and any(_registers(d) or _proxied(d, resolver) for d in node.decorators)
            own = node.params.params[1:] if self.klass and outer is None else node.params.params
            function.defaulted = all(p.default is not None for p in own)
            facts[key] = function
            local = {**(outer[4] if outer else {}), **nested_functions(node, key)}
            self.stack.append((self.klass, key, function, types, local))

        def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.stack.pop()

        def visit_Import(self, node: cst.Import | cst.ImportFrom) -> bool:
            return False  # ``from flask import request`` in a body reads nothing: what uses the name does

        visit_ImportFrom = visit_Import

        def visit_Name(self, node: cst.Name) -> None:
            if self.stack and node.value in request_names and not self.stack[-1][2].takes_request:
                self.stack[-1][2].reads = True

        def visit_Return(self, node: cst.Return) -> None:
            if self.stack and isinstance(node.value, cst.Name) and node.value.value in self.stack[-1][4]:
                returned.add(self.stack[-1][4][node.value.value])  # a decorator's wrapper, handed back uncalled

        def visit_Call(self, node: cst.Call) -> None:
            if not self.stack:
                return
            klass, _key, function, types, local = self.stack[-1]
            target = resolver.call_target(node.func, klass, types, local)
            if target is not None:
                function.calls.add(target)

    returned: set[str] = set()
    module.visit(Reader())
    passed: set[str] = set(returned)

    passed |= handed_values(module, resolver, routed_too=True)
    for key in passed & set(facts):
        facts[key].as_value = True
    return facts


def _param_names(function: cst.FunctionDef) -> set[str]:
    params = function.params
    stars = [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params, *stars)}


def _provided(decorator: cst.Decorator) -> bool:
    node = decorator.decorator
    func = node.func if isinstance(node, cst.Call) else node
    return isinstance(func, cst.Attribute) and func.attr.value in PROVIDED_DECORATORS


def _registers(decorator: cst.Decorator) -> bool:
    """``@babel.localeselector``, ``@login_manager.user_loader``: an extension keeps the function and calls it
    later with its own arguments, so it takes no request (it reads the helper's request proxy)."""
    node = decorator.decorator
    func = node.func if isinstance(node, cst.Call) else node
    return isinstance(func, cst.Attribute) and func.attr.value not in PROVIDED_DECORATORS


def _proxied(decorator: cst.Decorator, resolver: Resolver) -> bool:
    """``@LocalProxy``: Werkzeug's proxy keeps the function and calls it with no arguments at each use."""
    local = dotted(decorator.decorator)
    return bool(local) and (resolver.qualify(local) or "").rsplit(".", 1)[-1] == "LocalProxy"


def _request_names(module: cst.Module) -> set[str]:
    from codemods.flask_to_fastapi import names as flask_names

    found = flask_names.collect(module)
    locals_ = {local for local, q in found.members.items() if q == "flask.request"}
    return locals_


def solve(facts: dict[str, Function]) -> set[str]:
    """Fixpoint: a function needs the request when it reads it or calls one that needs it.

    A function nested in a view, handler or hook is a closure over the request it was given: it
    never takes one itself.
    """

    def sheltered(key: str) -> bool:
        parent = facts[key].parent
        while parent is not None:
            if facts[parent].provided:
                return True
            parent = facts[parent].parent
        return False

    candidates = {
        k for k, f in facts.items() if not f.provided and not f.as_value and not f.takes_request and not sheltered(k)
    }
    needs = {k for k in candidates if facts[k].reads}
    changed = True
    while changed:
        changed = False
        for key in candidates - needs:
            if facts[key].calls & needs:
                needs.add(key)
                changed = True
    return needs


def calls_of(module: cst.Module, relative: str | None, disk: str | None) -> set[str]:
    """A module's functions and what they call (qualified): for a module left on Flask, which passes no request."""
    facts = _facts(module, module_name(relative, disk), is_package(relative, disk), set())
    return set(facts) | {called for function in facts.values() for called in function.calls}


def facts_of(source: str, relative: str | None, disk: str | None, module: cst.Module | None = None):
    """The functions of one file and what they call (``module`` when it is parsed already)."""
    if "flask" not in source:
        return {}
    try:
        module = module or cst.parse_module(source)
    except Exception:  # a file that does not parse is reported by the runner
        return {}
    request_names = _request_names(module)
    if not request_names and "request" not in source:
        return {}
    return _facts(module, module_name(relative, disk), is_package(relative, disk), request_names)


def discover(files: list[tuple[str, str]]) -> Project:
    """The runner's first pass: every file of the run, read once."""
    facts: dict[str, Function] = {}
    for relative, disk in files:
        try:
            source = Path(disk).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        facts.update(facts_of(source, relative, disk))
    return Project(solve(facts), takes_request=taking_request(facts))


def for_module(module: cst.Module, relative: str | None, disk: str | None) -> Project:
    """Without a run (tests, stdin): what one module tells about itself."""
    facts = _facts(module, module_name(relative, disk), is_package(relative, disk), _request_names(module))
    return Project(solve(facts), takes_request=taking_request(facts))


def taking_request(facts: dict[str, Function]) -> frozenset[str]:
    """The functions given the request by their callers (``def get_url(request)``): what they read on it is
    rewritten to Starlette's names, so a caller hands them the Starlette request (``handed_requests``)."""
    return frozenset(key for key, function in facts.items() if function.takes_request)


def pass_request_to_views(
    module: cst.Module, views: set[str], needs: set[str] | None = None, by_name: set[str] = frozenset()
) -> cst.Module:
    """A view called from another view (``return index(form)``) now takes the request first: pass it. A calling
    view that took no request (its reads became typed parameters) takes one for it. ``by_name``: views the tests
    call by hand, which take it last, keyword-only with the helper's proxy as default (``index(form, request=...)``)."""
    if not views:
        return module

    class Passer(cst.CSTTransformer):
        def __init__(self) -> None:
            self.requests: list[list[bool]] = []  # per function: has a request, is a route, one was added

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            params = (*node.params.params, *node.params.kwonly_params)
            route = any(_route(d) for d in node.decorators)
            self.requests.append([any(p.name.value == "request" for p in params), route, False])

        def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
            _, _, added = self.requests.pop()
            if not added:
                return updated
            if needs is not None:
                needs.add("Request")
            if updated.name.value in by_name:  # the tests call it: keyword-only, the helper's proxy by default
                if needs is not None:
                    needs.add(HELPER_REQUEST)
                return views_by_hand.request_last(updated)
            first = cst.Param(cst.Name("request"), cst.Annotation(cst.Name("Request")))
            params = [first, *updated.params.params]
            params = [p.with_changes(comma=cst.MaybeSentinel.DEFAULT) for p in params]
            return updated.with_changes(params=updated.params.with_changes(params=params))

        def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
            if not (self.requests and isinstance(updated.func, cst.Name) and updated.func.value in views):
                return updated
            has, route, _ = self.requests[-1]
            if not has and not route:
                return updated
            if updated.args and (
                dotted(updated.args[0].value) == "request"
                or any(a.keyword and a.keyword.value == "request" for a in updated.args)
            ):
                return updated
            if any(a.star for a in updated.args):
                return updated
            if not has:
                self.requests[-1][2] = True
            if updated.func.value in by_name:
                return updated.with_changes(args=[*updated.args, views_by_hand.BY_NAME])
            return updated.with_changes(args=[cst.Arg(cst.Name("request")), *updated.args])

    return module.visit(Passer())


def _route(decorator: cst.Decorator) -> bool:
    """``@app.get("/x")``, ``@bp.api_route(...)``: a FastAPI route, which FastAPI hands a ``request`` parameter."""
    node = decorator.decorator
    func = node.func if isinstance(node, cst.Call) else node
    return isinstance(func, cst.Attribute) and func.attr.value in ROUTE_VERBS
