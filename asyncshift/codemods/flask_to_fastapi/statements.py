"""Statements rewritten whole: the app, its blueprints, ``abort()``, ``app.run()`` and MethodView classes.

``Flask(__name__)`` becomes ``FastAPI()`` plus ``init_app(app, __name__)`` (config, templates, static
files, sessions); a blueprint becomes an ``APIRouter`` with its prefix and its name as tag.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import decorators, responses, running
from codemods.flask_to_fastapi.conversion import Conversion
from codemods.flask_to_fastapi.nodes import arg, call, code, keyword_value
from codemods.flask_to_fastapi.url_prefixes import prefix_arg

INIT_KEYWORDS = ("template_folder", "static_folder", "static_url_path", "instance_path", "instance_relative_config")


def rewrite(tr: Conversion, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
    """The statement rewritten, or a ``FlattenSentinel`` when it becomes several (app and ``init_app``)."""
    if len(updated.body) != 1:
        return updated
    small = updated.body[0]
    small_original = original.body[0]
    if (
        isinstance(small, cst.Assign)
        and isinstance(small_original, cst.Assign)
        and isinstance(small_original.value, cst.Call)
    ):
        kind = tr.names.resolve(small_original.value.func)
        if kind == "flask.Flask":
            return _new_app(tr, updated, small, small_original.value)
        if kind == "flask.Blueprint":
            return updated.with_changes(body=[small.with_changes(value=_new_router(tr, small_original.value))])
    if (
        isinstance(small, cst.Expr)
        and isinstance(small_original, cst.Expr)
        and isinstance(small_original.value, cst.Call)
    ):
        target = tr.names.resolve(small_original.value.func)
        if target in ("flask.Flask.__init__", "flask.app.Flask.__init__") and isinstance(small.value, cst.Call):
            return _subclass_init(tr, updated, small.value)
        if target in ("flask.abort", "flask.helpers.abort", "werkzeug.exceptions.abort") and isinstance(
            small.value, cst.Call
        ):
            raised = responses.abort_raise(small.value, tr.needs)
            if raised is not None:
                return updated.with_changes(body=[raised])
            tr.todo("abort() with a response: raise HTTPException or return the response instead")
            return updated
        if (
            isinstance(small.value, cst.Tuple)
            and isinstance(small_original.value.func, cst.Attribute)
            and small_original.value.func.attr.value == "add_url_rule"
        ):
            lines = [cst.SimpleStatementLine([cst.Expr(e.value)]) for e in small.value.elements]
            lines[0] = lines[0].with_changes(leading_lines=updated.leading_lines)
            return cst.FlattenSentinel(lines)
        leftover = decorators.router_leftover(tr, small.value.func) if isinstance(small.value, cst.Call) else None
        if leftover is not None:  # ``bp.cli.add_command(cmd)``: an APIRouter has none; kept as text, not run
            text = " ".join(code(small.value).split())
            tr.todo(f"`{text}`: an APIRouter has no {leftover.split('.', 1)[1]}; do it by hand")
            return updated.with_changes(body=[cst.Pass()])
        if running.is_run_call(small_original.value, tr.app_names) and isinstance(small.value, cst.Call):
            todos: list[str] = []
            run = running.uvicorn_run(small_original.value, small.value, todos.append)
            return cst.FlattenSentinel(running.uvicorn_lines(updated, run, list(dict.fromkeys(todos))))
    return updated


def _new_app(tr: Conversion, line: cst.SimpleStatementLine, assign: cst.Assign, flask_call: cst.Call):
    tr.needs.add("FastAPI")
    target = assign.targets[0].target
    init_args = [arg(target.deep_clone() if hasattr(target, "deep_clone") else target), *_init_arguments(flask_call)]
    app_line = line.with_changes(body=[assign.with_changes(value=call("FastAPI"))])
    init_line = cst.SimpleStatementLine([cst.Expr(call(tr.injected("init_app"), *init_args))])
    return cst.FlattenSentinel([app_line, init_line])


def app_expression(tr: Conversion, flask_call: cst.Call) -> cst.Call:
    """``Flask(__name__, ...)`` anywhere but as an assignment's value (``return Flask(__name__)``, one side of a
    conditional, an argument): ``init_app(FastAPI(), __name__, ...)``, which returns the app. Renamed alone it was
    ``FastAPI(__name__)``: a TypeError when the app was made, at import for a module's app."""
    tr.needs.add("FastAPI")
    return call(tr.injected("init_app"), arg(call("FastAPI")), *_init_arguments(flask_call))


def _init_arguments(flask_call: cst.Call) -> list[cst.Arg]:
    """``init_app``'s arguments after the app: the import name and the options it takes of Flask's."""
    import_name = (
        flask_call.args[0].value
        if flask_call.args and flask_call.args[0].keyword is None and not flask_call.args[0].star
        else keyword_value(flask_call, "import_name")
    )
    init_args = [arg(import_name or cst.Name("__name__"))]
    for keyword in INIT_KEYWORDS:
        value = keyword_value(flask_call, keyword)
        if value is not None:
            init_args.append(arg(value, keyword))
    return init_args + [a for a in flask_call.args if a.star == "**"]  # ``Flask(__name__, **options)``: init_app's


def _subclass_init(tr: Conversion, line: cst.SimpleStatementLine, init: cst.Call):
    """A Flask subclass's ``Flask.__init__(self, name, ...)``: ``FastAPI.__init__(self)`` plus ``init_app(self,
    name, ...)``, as ``Flask(name)`` becomes (FastAPI takes no import name: TypeError when the app was built)."""
    if not init.args or init.args[0].keyword is not None or init.args[0].star:
        return line
    tr.needs.add("FastAPI")
    init_app = tr.injected("init_app")
    tr.todo(
        "a Flask subclass: FastAPI does not call what it overrides of Flask (create_jinja_environment, "
        "create_url_adapter, jinja_environment, request_class...; its session_interface is used); "
        "move each to the helper's hook"
    )
    self_arg = init.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    fastapi_line = line.with_changes(body=[cst.Expr(call("FastAPI.__init__", self_arg))])
    init_line = cst.SimpleStatementLine([cst.Expr(init.with_changes(func=cst.Name(init_app)))])
    return cst.FlattenSentinel([fastapi_line, init_line])


def _new_router(tr: Conversion, blueprint: cst.Call) -> cst.Call:
    tr.needs.add("APIRouter")
    args = []
    prefix = keyword_value(blueprint, "url_prefix")
    if prefix is not None:
        args.append(prefix_arg(prefix))
    name = (
        blueprint.args[0].value
        if blueprint.args and blueprint.args[0].keyword is None
        else keyword_value(blueprint, "name")
    )
    if name is not None:
        args.append(arg(cst.List([cst.Element(name)]), "tags"))
    if keyword_value(blueprint, "subdomain") is not None:
        tr.todo("blueprint subdomain=: FastAPI routes by path only; route the host to this router by hand")
    folders = [
        arg(value, keyword)
        for keyword in ("template_folder", "static_folder", "static_url_path")
        if (value := keyword_value(blueprint, keyword)) is not None
    ]
    if not folders:
        return call("APIRouter", *args)
    # the app serves the blueprint's templates and static files once it includes the router (as Flask did)
    tr.needs.add("blueprint_folders")
    import_name = blueprint.args[1].value if len(blueprint.args) > 1 and blueprint.args[1].keyword is None else None
    import_name = import_name or keyword_value(blueprint, "import_name") or cst.Name("__name__")
    return call("blueprint_folders", arg(call("APIRouter", *args)), arg(import_name), *folders)


_VIEW_BASES = {"flask.views.MethodView": "MethodView", "flask.views.View": "View"}


def method_view_class(tr: Conversion, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
    """A MethodView subclass's Flask base becomes the helper's (``add_url_rule`` registers each of its methods,
    registration): its ``as_view`` serves a registration read only at run time (a ``register_api(view, ...)`` helper,
    ``url_rule``), its ``dispatch_request`` the override calling ``super().dispatch_request``. Dropped where the
    module has a name of its own for it."""
    bases = [b for b in updated.bases if tr.names.resolve(b.value) not in _VIEW_BASES]
    if len(bases) == len(updated.bases):
        return updated
    kept = []
    for b in updated.bases:
        helper = _VIEW_BASES.get(tr.names.resolve(b.value) or "")
        if helper is not None and helper not in tr.analysis.own_names:
            tr.needs.add(helper)
            kept.append(b.with_changes(value=cst.Name(helper)))
        elif b in bases:
            kept.append(b)
    bases = kept
    if original.name.value in tr.analysis.decorated_views:
        tr.todo(
            "MethodView decorators wrap each method (method_view): a decorator reading the view's keyword "
            "arguments gets FastAPI's (the request too), not only Flask's URL values"
        )
    for statement in updated.body.body:
        if isinstance(statement, cst.SimpleStatementLine) and any(
            isinstance(s, cst.Assign)
            and code(s.targets[0].target) in ("methods", "init_every_request")
            and not (code(s.targets[0].target) == "methods" and original.name.value in tr.analysis.dispatch)
            for s in statement.body
        ):
            tr.todo(
                "MethodView class attributes (methods/init_every_request) are not applied by add_api_route: "
                "apply them by hand"
            )
            break
    if bases:
        bases[-1] = bases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(bases=bases)
    return updated.with_changes(bases=[], lpar=cst.MaybeSentinel.DEFAULT, rpar=cst.MaybeSentinel.DEFAULT)
