"""Apps, blueprints, routes, hooks and handlers: the rules that touch statements, decorators and signatures.

``Flask(__name__)`` becomes ``FastAPI()`` plus ``init_app(app, __name__)`` (config, templates, static
files, sessions); a blueprint becomes an ``APIRouter`` with its prefix and its name as tag; a route
decorator becomes ``@get``/``@post``/``@api_route`` named as Flask named the endpoint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from codemods.flask_to_fastapi import blocking, request_access, responses, rules
from codemods.flask_to_fastapi.analysis import APP_SCOPE_HOOKS, HOOKS, ROUTE_METHODS
from codemods.flask_to_fastapi.names import dotted
from codemods.flask_to_fastapi.responses import arg, call, code, expr

if TYPE_CHECKING:
    from codemods.flask_to_fastapi.transformer import FlaskToFastAPI, Scope

INIT_KEYWORDS = ("template_folder", "static_folder", "static_url_path", "instance_path", "instance_relative_config")


def _kw(node: cst.Call, name: str) -> cst.BaseExpression | None:
    return next((a.value for a in node.args if a.keyword and a.keyword.value == name), None)


def _literal(text: str) -> cst.SimpleString:
    return cst.SimpleString(f'"{text}"' if '"' not in text and "\\" not in text else repr(text))


def _string(node: cst.BaseExpression | None) -> str | None:
    return node.evaluated_value if isinstance(node, cst.SimpleString) else None


def _rule_text(tr: FlaskToFastAPI, node: cst.BaseExpression | None) -> str | None:
    """A URL rule's text: a literal, or a module-level string constant."""
    if isinstance(node, cst.Name):
        return tr.analysis.constants.get(node.value)
    return _string(node)


def _owner(tr: FlaskToFastAPI, func: cst.BaseExpression) -> tuple[str, object] | None:
    if isinstance(func, cst.Attribute):
        owner = dotted(func.value)
        if owner in tr.analysis.objects:
            return owner, tr.analysis.objects[owner]
    return None


def _methods_of(node: cst.Call, attr: str) -> list[str] | None:
    if attr != "route":
        return [attr.upper()]
    methods = _kw(node, "methods")
    if methods is None:
        return ["GET"]
    if isinstance(methods, (cst.List, cst.Tuple, cst.Set)):
        values = [_string(e.value) for e in methods.elements]
        if all(values):
            return [v.upper() for v in values]
    return None


def decorator_info(tr: FlaskToFastAPI, decorator: cst.Decorator):
    """(kind, methods, path params, blueprint) for a Flask decorator on a function, else None."""
    node = decorator.decorator
    func = node.func if isinstance(node, cst.Call) else node
    owner = _owner(tr, func)
    if owner is None:
        return None
    attr = func.attr.value
    blueprint = owner[1].blueprint
    if attr in ROUTE_METHODS and isinstance(node, cst.Call):
        rule = _rule_text(tr, node.args[0].value if node.args and node.args[0].keyword is None else _kw(node, "rule"))
        params = rules.convert(rule).params if rule is not None else []
        return "route", _methods_of(node, attr), params, blueprint
    if attr in ("errorhandler", "app_errorhandler"):
        return "handler", None, [], blueprint
    if attr in HOOKS:
        return "hook", None, [], blueprint
    return None


def decorators(tr: FlaskToFastAPI, dec: cst.Decorator, function: str, route_count: int = 1) -> list[cst.Decorator]:
    """One Flask decorator as FastAPI decorators: a route may add Flask's slash and defaults redirects."""
    converted = decorator(tr, dec, function)
    node = dec.decorator
    func = node.func if isinstance(node, cst.Call) else node
    owner = _owner(tr, func)
    if (
        owner is None
        or func.attr.value not in ROUTE_METHODS
        or not isinstance(node, cst.Call)
        or converted.decorator is node
    ):
        return [converted]
    name, obj = owner
    target = cst.Name(name) if "." not in name else expr(name)
    extra: list[cst.Decorator] = []
    defaults = _kw(node, "defaults")
    if isinstance(defaults, cst.Dict) and route_count > 1:
        # Flask redirects a URL whose values equal these defaults to this rule (redirect_defaults)
        values = route_defaults(dec)
        if len(values) == len(defaults.elements) and all(k.isidentifier() for k in values):
            tr.needs.add("redirect_defaults")
            extra.append(cst.Decorator(call("redirect_defaults", arg(target), *[arg(v, k) for k, v in values.items()])))
    strict = _kw(node, "strict_slashes")
    new = converted.decorator
    if (
        isinstance(strict, cst.Name)
        and strict.value == "False"
        and isinstance(new, cst.Call)
        and new.args
        and isinstance(new.args[0].value, cst.SimpleString)
    ):
        path = new.args[0].value.evaluated_value
        other = path.rstrip("/") if path.endswith("/") else path + "/"
        if other and other != "/" and (other.startswith("/") or obj.blueprint):
            # strict_slashes=False: both forms answer, without a redirect
            twin = new.with_changes(
                args=responses.commas(
                    [
                        arg(cst.SimpleString(_quote(other, new.args[0].value))),
                        *new.args[1:],
                        arg(cst.Name("False"), "include_in_schema"),
                    ]
                )
            )
            extra.append(cst.Decorator(twin))
    return [*extra, converted]


def decorator(tr: FlaskToFastAPI, dec: cst.Decorator, function: str) -> cst.Decorator:
    node = dec.decorator
    func = node.func if isinstance(node, cst.Call) else node
    if (
        tr.names.resolve(func) == "flask_login.login_required"
        or tr.names.resolve(func) == "flask_login.utils.login_required"
    ):
        tr.needs.add("login_required")
        return dec
    owner = _owner(tr, func)
    if owner is None:
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Attribute) and func.value.attr.value == "cli":
            tr.todo("Flask CLI command: register it with your command line (Typer/Click) instead")
        return dec
    name, obj = owner
    attr = func.attr.value
    target = cst.Name(name) if "." not in name else expr(name)
    if attr in ROUTE_METHODS and isinstance(node, cst.Call):
        return dec.with_changes(decorator=_route(tr, node, attr, target, obj, function))
    if attr in ("errorhandler", "app_errorhandler") and isinstance(node, cst.Call) and node.args:
        key = _handler_key(tr, node.args[0].value)
        if obj.kind == "app":
            return dec.with_changes(decorator=call(f"{name}.exception_handler", arg(key)))
        helper = (
            "errorhandler" if attr == "errorhandler" else "app_errorhandler"
        )  # errorhandler: the router's routes only
        tr.needs.add(helper)
        return dec.with_changes(decorator=call(helper, arg(target), arg(key)))
    if attr in HOOKS:
        helper = HOOKS[attr]
        tr.needs.add(helper)
        args = [arg(target)]
        if attr in APP_SCOPE_HOOKS:
            args.append(arg(cst.Name("True"), "app_wide"))
        return dec.with_changes(decorator=call(helper, *args))
    if attr in ("context_processor", "app_context_processor"):
        tr.needs.add("context_processor")
        return dec.with_changes(decorator=call("context_processor", arg(target)))
    if attr in ("template_filter", "app_template_filter", "template_global", "app_template_global"):
        helper = "template_filter" if "filter" in attr else "template_global"
        tr.needs.add(helper)
        extra = [arg(a.value) for a in node.args] if isinstance(node, cst.Call) else []
        return dec.with_changes(decorator=call(helper, arg(target), *extra))
    return dec


def _handler_key(tr: FlaskToFastAPI, value: cst.BaseExpression) -> cst.BaseExpression:
    target = tr.names.resolve(value) or ""
    short = target.rsplit(".", 1)[-1]
    if target.startswith("werkzeug.exceptions.") and short in responses.HTTP_ERRORS:
        return cst.Integer(str(responses.HTTP_ERRORS[short]))
    if short == "HTTPException" and target.startswith(("werkzeug", "flask")):
        tr.needs.add("StarletteHTTPException")
        return cst.Name("StarletteHTTPException")
    return value


def _route(tr: FlaskToFastAPI, node: cst.Call, attr: str, target: cst.BaseExpression, obj, function: str) -> cst.Call:
    positional = [a for a in node.args if a.keyword is None]
    rule_node = positional[0].value if positional else _kw(node, "rule")
    rule = _rule_text(tr, rule_node)
    args: list[cst.Arg] = []
    if rule is None:
        tr.todo("the URL rule is not a literal: convert its <converter:name> parts to {name} by hand")
        args.append(arg(rule_node))
    else:
        converted = rules.convert(rule)
        if converted.problem:
            tr.todo(converted.problem)
        if isinstance(rule_node, cst.Name) and converted.path == rule:
            args.append(arg(rule_node))  # a module constant FastAPI reads as it is
        else:
            args.append(arg(cst.SimpleString(_quote(converted.path, rule_node))))
    methods = _methods_of(node, attr)
    if methods is None:
        verb = "api_route"
        args.append(arg(_kw(node, "methods"), "methods"))
    elif len(methods) == 1 and methods[0].lower() in ("get", "post", "put", "delete", "patch", "head", "options"):
        verb = methods[0].lower()
    else:
        verb = "api_route"
        args.append(arg(cst.List([cst.Element(cst.SimpleString(f'"{m}"')) for m in methods]), "methods"))
    endpoint = _string(_kw(node, "endpoint"))
    if obj.blueprint:
        args.append(arg(cst.SimpleString(f'"{obj.blueprint}.{endpoint or function}"'), "name"))
    elif endpoint:
        args.append(arg(cst.SimpleString(f'"{endpoint}"'), "name"))
    for keyword in ("subdomain", "host", "provide_automatic_options"):
        if _kw(node, keyword) is not None:
            tr.todo(f"route option {keyword}= has no FastAPI twin")
    return cst.Call(cst.Attribute(target, cst.Name(verb)), responses.commas(args))


def route_defaults(dec: cst.Decorator) -> dict[str, cst.BaseExpression]:
    """``defaults={"page": 1}`` on a route: the view parameter's default in FastAPI."""
    node = dec.decorator
    values = _kw(node, "defaults") if isinstance(node, cst.Call) else None
    if not isinstance(values, cst.Dict):
        return {}
    return {
        e.key.evaluated_value: e.value
        for e in values.elements
        if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)
    }


def _quote(path: str, original: cst.BaseExpression) -> str:
    quote = original.quote if isinstance(original, cst.SimpleString) else '"'
    if quote not in ('"', "'"):
        quote = '"'
    return f"{quote}{path}{quote}" if quote not in path else f'"{path}"'


# -- statements: app creation, registration, app.run --------------------------------------------


def statement(tr: FlaskToFastAPI, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
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
        run = _app_run(tr, small_original.value, small.value)
        if run is not None:
            return cst.FlattenSentinel(
                [
                    cst.SimpleStatementLine(
                        [cst.Import([cst.ImportAlias(cst.Name("uvicorn"))])], leading_lines=updated.leading_lines
                    ),
                    updated.with_changes(body=[cst.Expr(run)], leading_lines=[]),
                ]
            )
    return updated


def _new_app(tr: FlaskToFastAPI, line: cst.SimpleStatementLine, assign: cst.Assign, flask_call: cst.Call):
    tr.needs.update({"FastAPI", "init_app"})
    target = assign.targets[0].target
    init_args = [arg(target.deep_clone() if hasattr(target, "deep_clone") else target)]
    import_name = (
        flask_call.args[0].value
        if flask_call.args and flask_call.args[0].keyword is None
        else _kw(flask_call, "import_name")
    )
    init_args.append(arg(import_name or cst.Name("__name__")))
    for keyword in INIT_KEYWORDS:
        value = _kw(flask_call, keyword)
        if value is not None:
            init_args.append(arg(value, keyword))
    app_line = line.with_changes(body=[assign.with_changes(value=call("FastAPI"))])
    init_line = cst.SimpleStatementLine([cst.Expr(call("init_app", *init_args))])
    return cst.FlattenSentinel([app_line, init_line])


def _new_router(tr: FlaskToFastAPI, blueprint: cst.Call) -> cst.Call:
    tr.needs.add("APIRouter")
    args = []
    prefix = _kw(blueprint, "url_prefix")
    if prefix is not None:
        text = _string(prefix)
        args.append(arg(_literal(rules.join_prefix(text)) if text is not None else prefix, "prefix"))
    name = blueprint.args[0].value if blueprint.args and blueprint.args[0].keyword is None else _kw(blueprint, "name")
    if name is not None:
        args.append(arg(cst.List([cst.Element(name)]), "tags"))
    for keyword in ("template_folder", "static_folder", "subdomain"):
        if _kw(blueprint, keyword) is not None:
            tr.todo(
                f"blueprint {keyword}=: serve it from the app "
                "(templates and static files are app-wide in the converted code)"
            )
    return call("APIRouter", *args)


def _app_run(tr: FlaskToFastAPI, original: cst.Call, updated: cst.Call) -> cst.Call | None:
    if not (isinstance(original.func, cst.Attribute) and original.func.attr.value == "run"):
        return None
    owner = dotted(original.func.value)
    if not tr.analysis.is_app(owner):
        return None
    args = [arg(updated.func.value)]
    for a in updated.args:
        if a.keyword and a.keyword.value in ("host", "port"):
            args.append(a)
    return call("uvicorn.run", *args)


# -- calls anywhere ---------------------------------------------------------------------------------


def call_rewrite(tr: FlaskToFastAPI, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    return call_(tr, original, updated)


def call_(tr: FlaskToFastAPI, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    rewritten = request_call(tr, original, updated) or to_dict(tr, original, updated)
    if rewritten is not None:
        return rewritten
    target = tr.names.resolve(original.func)
    scope = tr.scopes[-1] if tr.scopes else None
    if target is None:
        return _method_calls(tr, original, updated, scope)
    short = target.rsplit(".", 1)[-1]
    if target in ("flask.jsonify", "flask.json.jsonify"):
        if scope is not None and id(original) in scope.return_heads:
            return updated
        return responses.json_response(responses.jsonify_payload(updated), [], tr.needs)
    if target in ("flask.redirect", "flask.helpers.redirect", "werkzeug.utils.redirect"):
        return responses.redirect(updated, tr.needs)
    if target in (
        "flask.url_for",
        "flask.render_template",
        "flask.render_template_string",
        "flask.flash",
        "flask.get_flashed_messages",
        "flask.helpers.url_for",
        "flask.templating.render_template",
    ):
        tr.needs.add(short)
        args = list(updated.args)
        if short == "url_for" and args and isinstance(args[0].value, cst.SimpleString):
            endpoint = args[0].value.evaluated_value
            if endpoint.startswith(".") and scope is not None and scope.blueprint:
                args[0] = args[0].with_changes(value=_literal(f"{scope.blueprint}{endpoint}"))
        return updated.with_changes(func=cst.Name(short), args=[arg(tr.request_expr()), *args])
    if target in (
        "flask.make_response",
        "flask.send_file",
        "flask.send_from_directory",
        "flask.helpers.send_file",
        "flask.helpers.make_response",
        "flask.helpers.send_from_directory",
    ):
        tr.needs.add(short)
        return updated.with_changes(func=cst.Name(short))
    if target in ("flask.Response", "flask.wrappers.Response"):
        return responses.flask_response(updated, tr.needs)
    if target == "flask.stream_with_context" and updated.args:
        return updated.args[0].value
    if target in ("flask.escape", "flask.Markup", "markupsafe.escape"):
        tr.needs.add(short)
        return updated.with_changes(func=cst.Name(short))
    if target.startswith("werkzeug.exceptions.") and short in responses.HTTP_ERRORS:
        return responses.http_error(short, updated, tr.needs)
    if target in ("flask.abort", "werkzeug.exceptions.abort"):
        if id(original) in tr.statement_calls:
            return updated  # the statement becomes a raise
        tr.todo("abort() used as a value: raise HTTPException(status_code=...) instead")
        return updated
    if target in (
        "flask.has_request_context",
        "flask.has_app_context",
        "flask.copy_current_request_context",
        "flask.after_this_request",
    ):
        tr.todo(f"{short}() has no FastAPI twin: restructure around the request object")
        return updated
    if target == "flask.current_app._get_current_object" or target.endswith("._get_current_object"):
        return updated.func.value if isinstance(updated.func, cst.Attribute) else updated
    if target.startswith("flask_login."):
        tr.needs.add(short)
        return updated.with_changes(func=cst.Name(short)) if isinstance(updated.func, cst.Attribute) else updated
    return _method_calls(tr, original, updated, scope)


def _method_calls(tr: FlaskToFastAPI, original: cst.Call, updated: cst.Call, scope) -> cst.BaseExpression:
    func = original.func
    if not isinstance(func, cst.Attribute):
        return updated
    attr = func.attr.value
    owner_name = dotted(func.value)
    # app.register_blueprint(bp, url_prefix=...) -> app.include_router(bp, prefix=...)
    if attr == "register_blueprint" and owner_name in tr.analysis.objects:
        args = []
        for a in updated.args:
            if a.keyword and a.keyword.value == "url_prefix":
                value = a.value
                text = _string(value)
                args.append(arg(_literal(rules.join_prefix(text)) if text is not None else value, "prefix"))
            elif a.keyword and a.keyword.value in ("subdomain", "name", "url_defaults"):
                tr.todo(f"register_blueprint({a.keyword.value}=...) has no include_router twin")
            else:
                args.append(a)
        return updated.with_changes(
            func=cst.Attribute(updated.func.value, cst.Name("include_router")), args=responses.commas(args)
        )
    if attr == "add_url_rule" and owner_name in tr.analysis.objects:
        return _add_url_rule(tr, original, updated, owner_name)
    if attr in HOOKS and owner_name is not None and len(updated.args) == 1 and tr.names.resolve(func.value) is None:
        tr.needs.add(HOOKS[attr])
        return cst.Call(call(HOOKS[attr], arg(updated.func.value)), [updated.args[0]])
    # the name is Flask's own: an owner we do not know (a factory's parameter) is an app too
    if (
        attr == "register_error_handler"
        and (tr.analysis.is_app(owner_name) or owner_name not in tr.analysis.objects)
        and len(updated.args) == 2
    ):
        return updated.with_changes(
            func=cst.Attribute(updated.func.value, cst.Name("add_exception_handler")),
            args=[arg(_handler_key(tr, updated.args[0].value)), updated.args[1]],
        )
    # FileStorage methods on an uploaded file parameter
    plan = scope.plan if scope is not None else None
    if plan is not None and isinstance(func.value, cst.Name) and func.value.value in plan.uploads:
        if attr == "save":
            tr.needs.add("save_upload")
            return call("save_upload", arg(updated.func.value), *updated.args)
        if attr == "read":
            return updated.with_changes(
                func=cst.Attribute(cst.Attribute(updated.func.value, cst.Name("file")), cst.Name("read"))
            )
    if (
        tr.names.resolve(func.value) in ("flask.g",)
        and attr in ("get", "pop")
        and scope is not None
        and (scope.has_request or scope.role == "closure")
    ):
        if updated.args and isinstance(updated.func, cst.Attribute):
            default = updated.args[1].value if len(updated.args) > 1 else cst.Name("None")
            state = updated.func.value  # already request.state
            return call("getattr", arg(state), arg(updated.args[0].value), arg(default))
    return updated


def _add_url_rule(tr: FlaskToFastAPI, original: cst.Call, updated: cst.Call, owner: str) -> cst.BaseExpression:
    positional = [a for a in updated.args if a.keyword is None]
    keywords = {a.keyword.value: a.value for a in updated.args if a.keyword is not None}
    rule = positional[0].value if positional else keywords.get("rule")
    endpoint = positional[1].value if len(positional) > 1 else keywords.get("endpoint")
    view = positional[2].value if len(positional) > 2 else keywords.get("view_func")
    obj = tr.analysis.objects[owner]
    text = _string(rule)
    path = rule
    if text is not None:
        converted = rules.convert(text)
        if converted.problem:
            tr.todo(converted.problem)
        path = _literal(converted.path)
    methods_node = keywords.get("methods")
    # MethodView.as_view("name") -> one route per HTTP method the class defines
    if isinstance(view, cst.Call) and isinstance(view.func, cst.Attribute) and view.func.attr.value == "as_view":
        cls = dotted(view.func.value)
        name = view.args[0].value if view.args else endpoint
        if cls in tr.analysis.method_views:
            methods = tr.analysis.method_views[cls]
            instance = cst.Call(view.func.value, [a for a in view.args[1:]])
            route_name = _route_name(obj, name)
            calls = [
                call(
                    f"{owner}.add_api_route",
                    arg(path),
                    arg(cst.Attribute(instance, cst.Name(m.lower()))),
                    arg(cst.List([cst.Element(cst.SimpleString(f'"{m}"'))]), "methods"),
                    *([arg(route_name, "name")] if route_name is not None else []),
                )
                for m in methods
            ]
            if len(calls) == 1:
                return calls[0]
            return cst.Tuple([cst.Element(c) for c in calls], lpar=[], rpar=[])
        tr.todo(f"{cls}.as_view(): the class is defined elsewhere; add one add_api_route per HTTP method")
        return updated
    if view is None and endpoint is not None:
        tr.needs.add("add_url_alias")  # url_for(endpoint) builds this rule; the route answering it is elsewhere
        return call("add_url_alias", arg(updated.func.value), arg(path), arg(endpoint))
    if view is None:
        tr.todo("add_url_rule without view_func: register the view with add_api_route")
        return updated
    args = [arg(path), arg(view)]
    args.append(
        arg(methods_node if methods_node is not None else cst.List([cst.Element(cst.SimpleString('"GET"'))]), "methods")
    )
    route_name = _route_name(obj, endpoint)
    if route_name is not None:
        args.append(arg(route_name, "name"))
    if not (isinstance(view, cst.Name) and view.value in tr.analysis.url_rule_views):
        tr.todo("the view is defined in another module: convert its request access and returns there")
    return call(f"{owner}.add_api_route", *args)


def _route_name(obj, endpoint: cst.BaseExpression | None) -> cst.BaseExpression | None:
    text = _string(endpoint)
    if obj.blueprint and text is not None:
        return _literal(f"{obj.blueprint}.{text}")
    return endpoint


# -- finishing functions ------------------------------------------------------------------------------


def _param(text: str) -> cst.Param:
    function = cst.parse_statement(f"def f({text}): pass\n")
    return function.params.params[0]


def _with_params(function: cst.FunctionDef, extra: list[cst.Param], first: list[cst.Param] = ()) -> cst.FunctionDef:
    params = [*first, *function.params.params, *extra]
    required = [p for p in params if p.default is None]
    optional = [p for p in params if p.default is not None]
    ordered = [p.with_changes(comma=cst.MaybeSentinel.DEFAULT) for p in required + optional]
    return function.with_changes(params=function.params.with_changes(params=ordered))


def _reads(body: cst.CSTNode, name: str) -> bool:
    found = []

    class Reads(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            if node.value == name:
                found.append(node)

    body.visit(Reads())
    return bool(found)


def finish_view(
    tr: FlaskToFastAPI, scope: Scope, original: cst.FunctionDef, updated: cst.FunctionDef
) -> cst.FunctionDef:
    plan = scope.plan
    types = {p.name: p for p in scope.path_params}
    params = []
    for param in updated.params.params:
        name = param.name.value
        narrower = (
            name in types
            and "Literal" in types[name].uses
            and param.annotation is not None
            and code(param.annotation.annotation) == "str"
        )
        if name in types and (param.annotation is None or narrower):
            param = param.with_changes(annotation=cst.Annotation(expr(types[name].annotation)))
            tr.needs.update(types[name].uses)
        if name in scope.defaults and param.default is None:
            param = param.with_changes(default=scope.defaults[name], equal=cst.AssignEqual())
        params.append(param)
    updated = updated.with_changes(params=updated.params.with_changes(params=params))
    if updated.params.star_kwarg is not None:
        tr.todo("**kwargs view: FastAPI needs each path parameter named in the signature")
    extra = []
    first = []
    existing = {p.name.value for p in updated.params.params}
    if _reads(updated.body, scope.request) and scope.request not in existing:
        first.append(_param(f"{scope.request}: Request"))
        tr.needs.add("Request")
        if not tr.class_stack and not tr.scopes and scope.request == "request":
            tr.request_views.add(original.name.value)
    if plan is not None:
        for p in plan.params:
            if p.name not in existing:
                extra.append(_param(p.code()))
                tr.needs.update(p.uses)
                if p.source == "dependency":
                    tr.needs.add(p.key)
    if scope.methods and len(scope.methods) > 1 and plan and any(p.source == "form" for p in plan.params):
        pass
    updated = _with_params(updated, extra, first)
    only_routes = all(apps_route_decorator(tr, d) for d in updated.decorators)
    if updated.asynchronous is None and only_routes and blocking.safe_on_event_loop(updated):
        updated = updated.with_changes(asynchronous=cst.Asynchronous())
    return updated


def apps_route_decorator(tr: FlaskToFastAPI, dec: cst.Decorator) -> bool:
    node = dec.decorator
    func = node.func if isinstance(node, cst.Call) else node
    return _owner(tr, func) is not None


def finish_handler(tr: FlaskToFastAPI, scope: Scope, updated: cst.FunctionDef) -> cst.FunctionDef:
    params = list(updated.params.params)
    tr.needs.add("Request")
    if not params:
        params = [_param(f"{scope.request}: Request"), _param("exc")]
    elif params[0].name.value != scope.request:
        params = [_param(f"{scope.request}: Request"), *params]
    updated = updated.with_changes(
        params=updated.params.with_changes(params=[p.with_changes(comma=cst.MaybeSentinel.DEFAULT) for p in params])
    )
    error = params[1].name.value if len(params) > 1 else None
    if error:
        updated = updated.with_changes(body=updated.body.visit(_ErrorAttributes(error)))
    return updated


class _ErrorAttributes(cst.CSTTransformer):
    """Werkzeug's ``e.code``/``e.description`` are Starlette's ``e.status_code``/``e.detail``."""

    def __init__(self, name: str):
        self.name = name

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        if isinstance(updated.value, cst.Name) and updated.value.value == self.name:
            renamed = {"code": "status_code", "description": "detail"}.get(updated.attr.value)
            if renamed:
                return updated.with_changes(attr=cst.Name(renamed))
        return updated


def finish_hook(tr: FlaskToFastAPI, scope: Scope, updated: cst.FunctionDef) -> cst.FunctionDef:
    """The helper calls a hook with its response/error positionally and ``request=`` by name."""
    params = updated.params
    existing = {p.name.value for p in (*params.params, *params.kwonly_params)}
    if not _reads(updated.body, scope.request) or scope.request in existing:
        return updated
    tr.needs.add("Request")
    if not params.params and not params.kwonly_params and params.star_arg is cst.MaybeSentinel.DEFAULT:
        return _with_params(updated, [_param(f"{scope.request}: Request")])
    star = params.star_arg if params.star_arg is not cst.MaybeSentinel.DEFAULT else cst.ParamStar()
    return updated.with_changes(
        params=params.with_changes(
            star_arg=star, kwonly_params=[*params.kwonly_params, _param(f"{scope.request}: Request")]
        )
    )


def finish_threaded(tr: FlaskToFastAPI, scope: Scope, updated: cst.FunctionDef) -> cst.FunctionDef:
    """A helper that read ``flask.request`` takes the request first (after ``self``), as the views pass it."""
    params = list(updated.params.params)
    if any(p.name.value == scope.request for p in (*params, *updated.params.kwonly_params)):
        return updated
    tr.needs.add("Request")
    is_method = bool(tr.class_stack) and not any(code(d.decorator) == "staticmethod" for d in updated.decorators)
    at = 1 if is_method and params else 0
    params.insert(at, _param(f"{scope.request}: Request"))
    params = [p.with_changes(comma=cst.MaybeSentinel.DEFAULT) for p in params]
    return updated.with_changes(params=updated.params.with_changes(params=params))


# request.<body> read synchronously (handlers, hooks, helpers the request is passed to, closures in views)
SYNC_BODIES = {"form": "request_form", "files": "request_files", "json": "request_json", "data": "request_data"}
SYNC_CALLS = {"get_json": "request_json", "get_data": "request_data"}


def request_attribute(
    tr: FlaskToFastAPI, original: cst.Attribute, updated: cst.Attribute, name: str
) -> cst.BaseExpression:
    """``request.path`` where the request is a Starlette ``Request`` but no view plan covers the access."""
    attr = original.attr.value
    if attr in SYNC_CALLS:
        return updated  # the call is rewritten as a whole
    if attr in request_access.DYNAMIC_MAPPINGS:
        return expr(request_access.DYNAMIC_MAPPINGS[attr].format(r=name))
    if attr in request_access.ATTRIBUTES:
        return expr(request_access.ATTRIBUTES[attr].format(r=name))
    if attr in SYNC_BODIES:
        tr.needs.add(SYNC_BODIES[attr])
        return call(SYNC_BODIES[attr], arg(cst.Name(name)))
    if attr in request_access.UNSUPPORTED:
        tr.todo(request_access.UNSUPPORTED[attr])
    elif attr not in ("method", "headers", "cookies", "url", "scope", "state", "app", "session", "client"):
        tr.todo(f"request.{attr} has no direct Starlette twin: read it from the Request object by hand")
    return updated


def request_call(tr: FlaskToFastAPI, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``request.get_json(silent=True)`` outside a planned view: the helper's synchronous reader."""
    func = original.func
    if not (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and tr.names.resolve(func.value) == "flask.request"
    ):
        return None
    helper = SYNC_CALLS.get(func.attr.value)
    if helper is None:
        return None
    scope = tr.scopes[-1] if tr.scopes else None
    if scope is None or scope.role == "view" or not (scope.has_request or scope.role == "closure"):
        return None
    tr.needs.add(helper)
    return call(helper, arg(tr.request_expr()), *updated.args)


TO_DICT_SOURCES = ("args", "form", "files", "cookies", "values")


def to_dict(tr: FlaskToFastAPI, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """Werkzeug's ``MultiDict.to_dict()`` on Starlette's mappings.

    The first value of each key; with ``flat=False``, every value.
    """
    func = original.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "to_dict" and isinstance(func.value, cst.Attribute)):
        return None
    if func.value.attr.value not in TO_DICT_SOURCES or tr.names.resolve(func.value.value) != "flask.request":
        return None
    mapping = updated.func.value if isinstance(updated.func, cst.Attribute) else None
    if mapping is None:
        return None
    flat = next((a.value for a in original.args if a.keyword is None or a.keyword.value == "flat"), None)
    if flat is not None and code(flat) not in ("True", "False"):
        return None
    value = "{m}.getlist(key)" if flat is not None and code(flat) == "False" else "{m}.getlist(key)[0]"
    text = code(mapping)
    return expr(f"{{key: {value.format(m=text)} for key in {text}}}")


def method_view_class(tr: FlaskToFastAPI, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
    bases = [
        b for b in updated.bases if tr.names.resolve(b.value) not in ("flask.views.MethodView", "flask.views.View")
    ]
    if len(bases) == len(updated.bases):
        return updated
    for statement in updated.body.body:
        if isinstance(statement, cst.SimpleStatementLine) and any(
            isinstance(s, cst.Assign) and code(s.targets[0].target) in ("decorators", "methods", "init_every_request")
            for s in statement.body
        ):
            tr.todo(
                "MethodView class attributes (decorators/methods) are not applied by add_api_route: apply them by hand"
            )
            break
    if bases:
        bases[-1] = bases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(bases=bases)
    return updated.with_changes(bases=[], lpar=cst.MaybeSentinel.DEFAULT, rpar=cst.MaybeSentinel.DEFAULT)


def proxy_request_attribute(tr: FlaskToFastAPI, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
    """``request.args`` outside a view: the helper's request proxy with Starlette's names."""
    tr.needs.add("request")
    attr = original.attr.value
    if attr in request_access.DYNAMIC_MAPPINGS:
        return expr(request_access.DYNAMIC_MAPPINGS[attr].format(r="request"))
    if attr in request_access.ATTRIBUTES:
        return expr(request_access.ATTRIBUTES[attr].format(r="request"))
    if attr in ("form", "files", "json", "get_json", "data", "get_data"):
        tr.todo(f"request.{attr} outside a view cannot be read synchronously: pass the value in from the view")
    elif attr in request_access.UNSUPPORTED:
        tr.todo(request_access.UNSUPPORTED[attr])
    return updated


def pass_request_to_views(module: cst.Module, views: set[str]) -> cst.Module:
    """A view called from another view (``return index(form)``) now takes the request first: pass it."""
    if not views:
        return module

    class Passer(cst.CSTTransformer):
        def __init__(self) -> None:
            self.requests: list[bool] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.requests.append(any(p.name.value == "request" for p in node.params.params))

        def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
            self.requests.pop()
            return updated

        def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
            if not (
                self.requests
                and self.requests[-1]
                and isinstance(updated.func, cst.Name)
                and updated.func.value in views
            ):
                return updated
            if updated.args and (
                dotted(updated.args[0].value) == "request"
                or any(a.keyword and a.keyword.value == "request" for a in updated.args)
            ):
                return updated
            if any(a.star for a in updated.args):
                return updated
            return updated.with_changes(args=[cst.Arg(cst.Name("request")), *updated.args])

    return module.visit(Passer())
