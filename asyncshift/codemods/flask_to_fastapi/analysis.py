"""The first read of a module: which names are apps and blueprints, and which functions are views.

Flask registers views by decorators, by ``add_url_rule`` and by ``MethodView`` classes; the
rewriting pass needs all three known before it meets the function they name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.flask_to_fastapi import view_classes, view_decorators
from codemods.flask_to_fastapi.names import FlaskNames, dotted

ROUTE_METHODS = ("route", "get", "post", "put", "delete", "patch")
HOOKS = {
    "before_request": "before_request",
    "before_app_request": "before_request",
    "after_request": "after_request",
    "after_app_request": "after_request",
    "teardown_request": "teardown_request",
    "teardown_app_request": "teardown_request",
    "teardown_appcontext": "teardown_request",
}
# what an APIRouter answers to: any other attribute of a converted blueprint raises AttributeError at import
ROUTER_ATTRIBUTES = frozenset(
    (
        "add_api_route add_api_websocket_route add_event_handler add_route add_websocket_route api_route callbacks"
        " default default_response_class delete dependencies deprecated get head host include_in_schema"
        " include_router lifespan lifespan_context mount on_event on_shutdown on_startup options patch post prefix"
        " put redirect_slashes responses route route_class routes tags trace url_path_for websocket websocket_route"
    ).split()
)
APP_SCOPE_HOOKS = ("before_app_request", "after_app_request", "teardown_app_request")


@dataclass
class WebObject:
    """An app or a blueprint, by its variable name."""

    kind: str  # "app" or "router"
    blueprint: str | None = None  # the blueprint's own name (endpoint prefix); None for apps or unknown


@dataclass
class Analysis:
    objects: dict[str, WebObject] = field(default_factory=dict)
    url_rule_views: dict[str, list[str]] = field(default_factory=dict)  # function name -> methods
    method_views: dict[str, list[str]] = field(default_factory=dict)  # class name -> HTTP methods it defines
    view_rules: dict[str, list[str]] = field(default_factory=dict)  # function or class name -> URL rules
    error_handlers: set[str] = field(default_factory=set)  # functions passed to register_error_handler
    error_kinds: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)  # handler -> what it is for
    constants: dict[str, str] = field(default_factory=dict)  # module-level NAME = "text", assigned once
    called: set[str] = field(default_factory=set)  # names called as functions (a view another view calls)
    dispatch: set[str] = field(default_factory=set)  # View classes answering every method by dispatch_request
    # classes whose dispatch_request (their own or a base's here) calls super()'s: a MethodView's methods go through it
    chained: set[str] = field(default_factory=set)
    decorated_views: set[str] = field(default_factory=set)  # MethodView classes with ``decorators = [...]``
    class_decorators: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)  # their (or a base's) list
    made: set[str] = field(default_factory=set)  # apps and blueprints this module builds (not guessed ones)
    generators: set[str] = field(default_factory=set)  # functions, nested ones too, whose own body yields
    own_names: set[str] = field(default_factory=set)  # what the module's top level defines (def, class, assignment)
    imported_names: set[str] = field(default_factory=set)  # what its top level imports (``from x import y as z``: z)
    own_classes: set[str] = field(default_factory=set)  # the classes among them
    consuming: set[str] = field(default_factory=set)  # view decorators whose wrapper uses the view's result
    as_view_names: dict[str, cst.Call] = field(default_factory=dict)  # module-level ``name = Cls.as_view(...)``
    blueprint_classes: set[str] = field(default_factory=set)  # ``class AuthBlueprint(Blueprint)`` of this module

    def is_app(self, name: str | None) -> bool:
        return name in self.objects and self.objects[name].kind == "app"


def is_blueprint_subclass(names: FlaskNames, node: cst.ClassDef) -> bool:
    """``class AuthBlueprint(Blueprint)``: built as ``Blueprint(name, import_name, ...)`` is (blueprint_subclasses)."""
    return any(names.resolve(b.value) in ("flask.Blueprint", "flask.blueprints.Blueprint") for b in node.bases)


def _string(node: cst.BaseExpression | None) -> str | None:
    return node.evaluated_value if isinstance(node, cst.SimpleString) else None


def _as_view_class(node: cst.BaseExpression) -> str | None:
    """``Cls`` of ``Cls.as_view(...)``."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "as_view":
        return dotted(node.func.value)
    return None


def _methods(node: cst.BaseExpression | None) -> list[str] | None:
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        values = [_string(e.value) for e in node.elements]
        if all(values):
            return [v.upper() for v in values]
    return None


def analyse(module: cst.Module, names: FlaskNames) -> Analysis:
    found = Analysis()

    class Reader(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if not isinstance(node.value, cst.Call) or len(node.targets) != 1:
                return
            target = dotted(node.targets[0].target)
            if isinstance(node.targets[0].target, cst.Name) and _as_view_class(node.value) is not None:
                found.as_view_names[target] = node.value  # Flask's docs: ``view = Cls.as_view("name")``, then the rule
            kind = names.resolve(node.value.func)
            if target is None:
                return
            if kind == "flask.Flask":
                found.objects[target] = WebObject("app")
                found.made.add(target)
            elif kind == "flask.Blueprint" or dotted(node.value.func) in found.blueprint_classes:
                first = node.value.args[0].value if node.value.args and node.value.args[0].keyword is None else None
                named = next((a.value for a in node.value.args if a.keyword and a.keyword.value == "name"), first)
                found.objects[target] = WebObject("router", _string(named))
                found.made.add(target)

        def visit_Decorator(self, node: cst.Decorator) -> None:
            func = node.decorator.func if isinstance(node.decorator, cst.Call) else node.decorator
            if isinstance(func, cst.Attribute) and func.attr.value in (
                *ROUTE_METHODS,
                *HOOKS,
                "errorhandler",
                "app_errorhandler",
            ):
                owner = dotted(func.value)
                if (
                    owner
                    and owner not in found.objects
                    and names.resolve(func.value) is None
                    and func.attr.value in ("route", *HOOKS, "errorhandler", "app_errorhandler")
                ):
                    found.objects[owner] = WebObject("router")  # imported from elsewhere: a blueprint, most likely

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name):
                found.called.add(node.func.value)
            if (
                isinstance(node.func, cst.Attribute)
                and node.func.attr.value == "register_error_handler"
                and len(node.args) == 2
                and isinstance(node.args[1].value, cst.Name)
            ):
                found.error_handlers.add(node.args[1].value.value)
                found.error_kinds.setdefault(node.args[1].value.value, []).append(node.args[0].value)
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "add_url_rule":
                view = next((a.value for a in node.args if a.keyword and a.keyword.value == "view_func"), None)
                positional = [a.value for a in node.args if a.keyword is None]
                if view is None and len(positional) >= 3:
                    view = positional[2]
                methods = _methods(
                    next((a.value for a in node.args if a.keyword and a.keyword.value == "methods"), None)
                )
                rule = (
                    _string(positional[0])
                    if positional
                    else _string(next((a.value for a in node.args if a.keyword and a.keyword.value == "rule"), None))
                )
                if isinstance(view, cst.Name) and view.value in found.as_view_names:
                    view = found.as_view_names[view.value]
                if isinstance(view, cst.Name):
                    found.url_rule_views[view.value] = methods or ["GET"]
                elif (
                    isinstance(view, cst.Call)
                    and isinstance(view.func, cst.Attribute)
                    and view.func.attr.value == "as_view"
                ):
                    view = view.func.value
                if isinstance(view, cst.Name) and rule is not None:
                    found.view_rules.setdefault(view.value, []).append(rule)

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            if is_blueprint_subclass(names, node):
                found.blueprint_classes.add(node.name.value)
            if view_classes.chains(node) or any(dotted(b.value) in found.chained for b in node.bases):
                found.chained.add(node.name.value)
            flask_base = any(
                names.resolve(b.value) in ("flask.views.MethodView", "flask.views.View") for b in node.bases
            )
            parents = [found.method_views[d] for d in (dotted(b.value) for b in node.bases) if d in found.method_views]
            if flask_base or parents:
                methods, dispatches = view_classes.own_methods(node)
                parent_dispatch = any(dotted(b.value) in found.dispatch for b in node.bases)
                if not methods and (dispatches or parent_dispatch):
                    found.dispatch.add(node.name.value)
                    methods = _class_methods(node) or view_classes.inherited([], parents) or ["GET"]
                found.method_views[node.name.value] = view_classes.inherited(methods, parents)
                if view_classes.assigns(node, "decorators"):
                    found.decorated_views.add(node.name.value)
                    found.class_decorators[node.name.value] = view_classes.decorator_list(node, found.class_decorators)
                else:  # a base of this module's: Flask reads the attribute through the class
                    inherited = (found.class_decorators.get(dotted(b.value) or "") for b in node.bases)
                    found.class_decorators[node.name.value] = next((d for d in inherited if d is not None), [])

    module.visit(Reader())
    found.constants = _constants(module)
    found.generators = _generators(module)
    found.own_names = _own_names(module)
    found.imported_names = _imported_names(module)
    found.own_classes = {s.name.value for s in module.body if isinstance(s, cst.ClassDef)}
    found.consuming = {
        s.name.value for s in module.body if isinstance(s, cst.FunctionDef) and view_decorators.consumes_result(s)
    }
    return found


def _own_names(module: cst.Module) -> set[str]:
    names = {s.name.value for s in module.body if isinstance(s, (cst.FunctionDef, cst.ClassDef))}
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Assign):
                names |= {t.target.value for t in small.targets if isinstance(t.target, cst.Name)}
    return names


def _imported_names(module: cst.Module) -> set[str]:
    names = set()
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                names |= {dotted(a.asname.name if a.asname else a.name).split(".")[0] for a in small.names}
    return names


def _generators(module: cst.Module) -> set[str]:
    """Names of the functions whose own body yields: ``Response(generate())`` streams what they make."""
    found: set[str] = set()
    stack: list[str] = []

    class Yields(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            stack.append(node.name.value)

        def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
            stack.pop()

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Yield(self, node: cst.Yield) -> None:
            if stack:
                found.add(stack[-1])

    module.visit(Yields())
    return found


def _class_methods(node: cst.ClassDef) -> list[str] | None:
    """``methods = ["GET", "POST"]`` in a View class body: the methods its ``dispatch_request`` answers."""
    for statement in node.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign) and dotted(small.targets[0].target) == "methods":
                    return _methods(small.value)
    return None


def imported_objects(found: Analysis, imports: dict[str, str], run, module_name: str = "") -> None:
    """Blueprints and MethodView classes this module imports from another module of the run, known as its own.

    ``from . import bp`` then ``bp.add_url_rule(...)``: the router is converted exactly as one built here.
    """
    blueprints = getattr(run, "blueprints", {})
    consuming = getattr(run, "consuming", frozenset())  # ``from .decorators import json``: its views keep returns
    found.consuming |= {local for local, qualified in imports.items() if qualified in consuming}
    for local, qualified in imports.items():
        for name, blueprint in blueprints.items():  # ``from pkg import api`` then ``api.bp.route``
            module, _, attribute = name.rpartition(".")
            if module == qualified and f"{local}.{attribute}" not in found.objects:
                found.objects[f"{local}.{attribute}"] = WebObject("router", blueprint)
        if qualified in blueprints and found.objects.get(local, WebObject("")).blueprint is None:
            found.objects[local] = WebObject("router", run.blueprints[qualified])
        if qualified in getattr(run, "method_views", {}) and local not in found.method_views:
            found.method_views[local] = run.method_views[qualified]
            if qualified in getattr(run, "dispatching", ()):
                found.dispatch.add(local)
    for qualified, methods in getattr(run, "method_views", {}).items():  # a subclass of an imported MethodView
        owner, _, local = qualified.rpartition(".")
        if module_name and owner == module_name and local not in found.method_views:
            found.method_views[local] = methods
            if qualified in getattr(run, "dispatching", ()):
                found.dispatch.add(local)


def _constants(module: cst.Module) -> dict[str, str]:
    """Module-level string constants (``SIGN_IN = "/sign-in"``) that nothing rebinds at module level."""
    values: dict[str, str | None] = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            targets = (
                [t.target for t in small.targets]
                if isinstance(small, cst.Assign)
                else [small.target]
                if isinstance(small, (cst.AnnAssign, cst.AugAssign))
                else []
            )
            for target in targets:
                if isinstance(target, cst.Name):
                    value = (
                        small.value if isinstance(small, (cst.Assign, cst.AnnAssign)) and len(targets) == 1 else None
                    )
                    text = _string(value) if target.value not in values else None
                    values[target.value] = text
    return {k: v for k, v in values.items() if v is not None}
