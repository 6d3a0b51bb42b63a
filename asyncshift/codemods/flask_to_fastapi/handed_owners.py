"""A registration helper in a module with nothing of Flask's: ``def configure(owner, routes)`` calling
``owner.add_url_rule(path, view_func=view)`` on an app or blueprint its callers hand in.

Such a module imports nothing of Flask's (its views come in as ``resource.as_view(...)`` on classes handed to it), so
the run skipped it, and its ``add_url_rule`` reached the ``APIRouter`` the converted callers hand it: the app failed
at import. The first pass lists it (``Project.involved``) and each such call goes through the helper's ``url_rule``,
as ``registration`` rewrites one in a converted module: a converted class's view is routed per HTTP method, an owner
still Flask's keeps its own ``add_url_rule``. A view the function wraps in a decorator before registering it
(``view = decorator(view)``, the helper's own ``decorators``) goes through the helper's ``decorated_view``, which puts
the decorator around each method's endpoint: wrapped whole, the class's view was routed for GET alone.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import TODO_MARKER, Notes
from codemods.flask_to_fastapi import imports, support
from codemods.flask_to_fastapi.nodes import arg, argument, call

REGISTRAR = "add_url_rule"
TODO = (
    f"{TODO_MARKER} add_url_rule on a router or app handed in (url_rule): a MethodView's as_view() routes each of "
    "its methods; a plain Flask view function handed here is not converted: convert it where it is defined"
)


def _parameters(node: cst.FunctionDef) -> set[str]:
    params = node.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return {p.name.value for p in every}


class _Registrations(cst.CSTTransformer):
    """``owner.add_url_rule(...)`` where ``owner`` is a parameter of the function it sits in (not rebound there)."""

    def __init__(self) -> None:
        self.owners: list[set[str]] = []
        self.views: list[set[str]] = []  # per function: the names registered as a view
        self.found = self.decorated = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.owners.append(_parameters(node) - _assigned(node))
        self.views.append(set())

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self.owners.pop()
        views = self.views.pop()
        if not views:
            return updated
        decorations = _Decorations(views)
        updated = updated.visit(decorations)
        self.decorated += decorations.found
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if not (self.owners and isinstance(func, cst.Attribute) and func.attr.value == REGISTRAR and updated.args):
            return updated
        if not (isinstance(func.value, cst.Name) and func.value.value in self.owners[-1]):
            return updated
        self.found += 1
        view = argument(updated, 2, "view_func")  # add_url_rule(rule, endpoint, view_func)
        self.views[-1].update([view.value] if isinstance(view, cst.Name) else [])
        return call("url_rule", arg(func.value), *updated.args)

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if updated is original or "url_rule(" not in cst.Module([]).code_for_node(updated):
            return updated
        if TODO_MARKER in cst.Module([]).code_for_node(original):
            return updated
        return updated.with_changes(leading_lines=[*updated.leading_lines, cst.EmptyLine(comment=cst.Comment(TODO))])


class _Decorations(cst.CSTTransformer):
    """``view = decorator(view)`` for a name registered as a view -> ``view = decorated_view(decorator, view)``."""

    def __init__(self, views: set[str]) -> None:
        self.views = views
        self.found = 0

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        value, targets = updated.value, updated.targets
        if not (len(targets) == 1 and isinstance(targets[0].target, cst.Name) and isinstance(value, cst.Call)):
            return updated
        name = targets[0].target.value
        args = value.args
        if name not in self.views or len(args) != 1 or args[0].keyword or args[0].star:
            return updated
        if not (isinstance(args[0].value, cst.Name) and args[0].value.value == name):
            return updated
        self.found += 1
        return updated.with_changes(value=call("decorated_view", arg(value.func), arg(args[0].value)))


def _assigned(node: cst.FunctionDef) -> set[str]:
    """Names the function binds again (``owner = Flask(...)``): no longer what was handed in."""
    found: set[str] = set()

    class Targets(cst.CSTVisitor):
        def visit_AssignTarget(self, target: cst.AssignTarget) -> None:
            if isinstance(target.target, cst.Name):
                found.add(target.target.value)

    node.body.visit(Targets())
    return found


def registers(module: cst.Module) -> bool:
    """Whether a function of the module registers a view on an owner handed in (first pass: ``Project.involved``)."""
    finder = _Registrations()
    module.visit(finder)
    return bool(finder.found)


def rewrite(module: cst.Module, notes: Notes, flask_names) -> cst.Module:
    """Each ``owner.add_url_rule(...)`` on a parameter -> ``url_rule(owner, ...)``, the helper imported."""
    finder = _Registrations()
    rewritten = module.visit(finder)
    if not finder.found:
        return module
    notes.note("add_url_rule on an owner handed in goes through url_rule (routes a converted MethodView's methods)")
    place = support.place(notes, flask_names, module)
    rewritten = imports.rewrite(rewritten, flask_names, {"url_rule"}, place.prefix)
    if not finder.decorated:
        return rewritten
    line = imports.import_line(place.prefix, f"{imports.HELPER_MODULE}.decorated_views", "decorated_view")
    at = next(i for i, s in enumerate(rewritten.body) if _imports_url_rule(s))
    return rewritten.with_changes(body=[*rewritten.body[: at + 1], line, *rewritten.body[at + 1 :]])


def _imports_url_rule(statement: cst.BaseStatement) -> bool:
    """The helper's import of ``url_rule`` (a ``try`` of both forms where the place is unknown)."""
    code = cst.Module([]).code_for_node(statement)
    return isinstance(statement, (cst.SimpleStatementLine, cst.Try)) and "import" in code and "url_rule" in code
