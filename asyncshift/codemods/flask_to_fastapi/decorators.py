"""Flask's decorators on functions as FastAPI's: routes, error handlers, request hooks, template helpers.

``@app.route("/items/<int:id>", methods=["POST"])`` becomes ``@app.post("/items/{id}")`` named as Flask
named the endpoint; a route may add a twin for ``strict_slashes=False`` and a ``redirect_defaults``.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import responses, rules
from codemods.flask_to_fastapi.analysis import APP_SCOPE_HOOKS, HOOKS, ROUTE_METHODS, ROUTER_ATTRIBUTES
from codemods.flask_to_fastapi.conversion import Conversion
from codemods.flask_to_fastapi.imports import HELPER_ALIAS_FOR
from codemods.flask_to_fastapi.names import dotted
from codemods.flask_to_fastapi.nodes import arg, call, commas, expr, keyword_value, quoted_like, string_value


def rule_text(tr: Conversion, node: cst.BaseExpression | None) -> str | None:
    """A URL rule's text: a literal, or a module-level string constant."""
    if isinstance(node, cst.Name):
        return tr.analysis.constants.get(node.value)
    return string_value(node)


def flask_owner(tr: Conversion, func: cst.BaseExpression) -> tuple[str, object] | None:
    """``("bp", <the blueprint>)`` for ``bp.route``: the app or blueprint a decorator or method belongs to."""
    if isinstance(func, cst.Attribute):
        owner = dotted(func.value)
        if owner in tr.analysis.objects:
            return owner, tr.analysis.objects[owner]
    return None


def _methods_of(node: cst.Call, attr: str) -> list[str] | None:
    if attr != "route":
        return [attr.upper()]
    methods = keyword_value(node, "methods")
    if methods is None:
        return ["GET"]
    if isinstance(methods, (cst.List, cst.Tuple, cst.Set)):
        values = [string_value(e.value) for e in methods.elements]
        if all(values):
            return [v.upper() for v in values]
    return None


def decorator_info(tr: Conversion, decorator: cst.Decorator):
    """(kind, methods, path params, blueprint) for a Flask decorator on a function, else None."""
    node = decorator.decorator
    func = node.func if isinstance(node, cst.Call) else node
    owner = flask_owner(tr, func)
    if owner is None:
        return None
    attr = func.attr.value
    blueprint = owner[1].blueprint
    if attr in ROUTE_METHODS and isinstance(node, cst.Call):
        rule = rule_text(
            tr, node.args[0].value if node.args and node.args[0].keyword is None else keyword_value(node, "rule")
        )
        params = rules.convert(rule).params if rule is not None else []
        return "route", _methods_of(node, attr), params, blueprint
    if attr in ("errorhandler", "app_errorhandler"):
        return "handler", None, [], blueprint
    if attr in HOOKS:
        return "hook", None, [], blueprint
    return None


def rewrite(
    tr: Conversion, dec: cst.Decorator, function: str, route_count: int = 1, returns: cst.Annotation | None = None
) -> list[cst.Decorator]:
    """One Flask decorator as FastAPI decorators: a route may add Flask's slash and defaults redirects.

    A view's return annotation (``-> Response | str``) is FastAPI's response model unless the route says
    ``response_model=None``: one that is no pydantic type fails as the route is made, at import. Flask never
    read it, so the route says so."""
    node = dec.decorator
    func = node.func if isinstance(node, cst.Call) else node
    if isinstance(func, cst.Attribute) and dotted(func.value) in getattr(tr, "foreign_objects", ()):
        if func.attr.value in ROUTE_METHODS:  # ``@api.route(bp, "/login")``: the project's REST Api registers it
            tr.todo(
                f"`{dotted(func.value)}.{func.attr.value}` registers this view on the Flask app hosting an "
                "unconverted extension: the view is FastAPI's now (async, its request a parameter); give that "
                "route a FastAPI route of its own"
            )
        return [dec]
    if _router_cli(tr, func) and func.attr.value in ("command", "group"):
        # an APIRouter has no ``.cli``: the helper's Click group of the router (``cli_command(bp, "sync")``), added
        # to ``app.cli`` where the app includes the router; the command stays a Click command
        helper = _unshadowed(tr, f"cli_{func.attr.value}", function)
        router = cst.Arg(func.value.value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        if not isinstance(node, cst.Call) or not node.args:
            return [dec.with_changes(decorator=call(helper, arg(func.value.value)))]
        return [dec.with_changes(decorator=node.with_changes(func=expr(helper), args=[router, *node.args]))]
    converted = _converted(tr, dec, function)
    new = converted.decorator
    leftover = router_leftover(tr, new.func if isinstance(new, cst.Call) else new)
    if leftover is not None:
        tr.todo(f"@{leftover}: an APIRouter has no {leftover.split('.', 1)[1]}; decorator removed, apply it by hand")
        return []
    owner = flask_owner(tr, func)
    if (
        owner is None
        or func.attr.value not in ROUTE_METHODS
        or not isinstance(node, cst.Call)
        or converted.decorator is node
    ):
        return [converted]
    name, obj = owner
    if returns is not None and isinstance(converted.decorator, cst.Call):
        decorator = converted.decorator
        if keyword_value(decorator, "response_model") is None:
            converted = converted.with_changes(
                decorator=decorator.with_changes(
                    args=commas([*decorator.args, arg(cst.Name("None"), "response_model")])
                )
            )
    target = cst.Name(name) if "." not in name else expr(name)
    extra: list[cst.Decorator] = []
    defaults = keyword_value(node, "defaults")
    if isinstance(defaults, cst.Dict) and route_count > 1:
        # Flask redirects a URL whose values equal these defaults to this rule (redirect_defaults)
        values = route_defaults(dec)
        if len(values) == len(defaults.elements) and all(k.isidentifier() for k in values):
            tr.needs.add("redirect_defaults")
            extra.append(cst.Decorator(call("redirect_defaults", arg(target), *[arg(v, k) for k, v in values.items()])))
    strict = keyword_value(node, "strict_slashes")
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
                args=commas(
                    [
                        arg(cst.SimpleString(quoted_like(other, new.args[0].value))),
                        *new.args[1:],
                        arg(cst.Name("False"), "include_in_schema"),
                    ]
                )
            )
            extra.append(cst.Decorator(twin))
    return [*extra, converted]


def _router_cli(tr: Conversion, func: cst.BaseExpression) -> bool:
    """``bp.cli.command(...)`` (or ``.group``) on a blueprint: the app's ``cli`` group survives, a router's does not."""
    if not (
        isinstance(func, cst.Attribute) and isinstance(func.value, cst.Attribute) and func.value.attr.value == "cli"
    ):
        return False
    owner = tr.analysis.objects.get(dotted(func.value.value) or "")
    return owner is not None and owner.kind == "router"


def router_leftover(tr: Conversion, func: cst.BaseExpression) -> str | None:
    """``bp.cli.add_command``: a method of a blueprint an APIRouter does not have, as its dotted text."""
    node = func
    while isinstance(node, cst.Attribute) and isinstance(node.value, cst.Attribute):
        node = node.value
    if not isinstance(node, cst.Attribute) or not isinstance(node.value, cst.Name):
        return None
    owner = tr.analysis.objects.get(node.value.value)
    if owner is None or owner.kind != "router" or node.attr.value in ROUTER_ATTRIBUTES:
        return None
    if node.attr.value in APP_ONLY and node.value.value not in tr.analysis.made:  # a guessed router is an app
        return None
    return dotted(func)


# what only a Flask app has (no blueprint does): a name guessed a blueprint from its ``@x.before_request`` and
# reading these is the app, passed in (``def init_template_globals(app)``), whose Flask face runs them
APP_ONLY = frozenset("jinja_env jinja_loader config extensions app_context test_client url_map logger".split())


URL_PROCESSORS = {
    "url_defaults": "url_defaults",
    "app_url_defaults": "url_defaults",
    "url_value_preprocessor": "url_value_preprocessor",
    "app_url_value_preprocessor": "url_value_preprocessor",
}


def _converted(tr: Conversion, dec: cst.Decorator, function: str) -> cst.Decorator:
    node = dec.decorator
    func = node.func if isinstance(node, cst.Call) else node
    login = (tr.names.resolve(func) or "").replace("flask_login.utils.", "flask_login.")
    if login in ("flask_login.login_required", "flask_login.fresh_login_required"):
        tr.needs.add(login.split(".")[-1])
        return dec
    owner = flask_owner(tr, func)
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
        key = handler_key(tr, node.args[0].value)
        if obj.kind == "app":
            return dec.with_changes(decorator=call(f"{name}.exception_handler", arg(key)))
        # errorhandler: the router's routes only; app_errorhandler: every route of the app
        helper = _unshadowed(tr, "errorhandler" if attr == "errorhandler" else "app_errorhandler", function)
        return dec.with_changes(decorator=call(helper, arg(target), arg(key)))
    if attr in HOOKS:
        helper = _unshadowed(tr, HOOKS[attr], function)
        args = [arg(target)]
        if attr in APP_SCOPE_HOOKS:
            args.append(arg(cst.Name("True"), "app_wide"))
        if attr == "teardown_appcontext":  # run when the app context ends, not after a request run in a test's
            args.append(arg(cst.Name("True"), "app_context"))
        return dec.with_changes(decorator=call(helper, *args))
    if attr in URL_PROCESSORS and obj.kind == "router" and not isinstance(node, cst.Call):
        # a blueprint's url_defaults / url_value_preprocessor: the helper registers it for the router's endpoints
        extra = [arg(cst.Name("True"), "app_wide")] if attr.startswith("app_") else []
        return dec.with_changes(decorator=call(_unshadowed(tr, URL_PROCESSORS[attr], function), arg(target), *extra))
    if attr in ("context_processor", "app_context_processor"):
        return dec.with_changes(decorator=call(_unshadowed(tr, "context_processor", function), arg(target)))
    if attr in ("template_filter", "app_template_filter", "template_global", "app_template_global"):
        helper = _unshadowed(tr, "template_filter" if "filter" in attr else "template_global", function)
        extra = [arg(a.value) for a in node.args] if isinstance(node, cst.Call) else []
        return dec.with_changes(decorator=call(helper, arg(target), *extra))
    return dec


def _unshadowed(tr: Conversion, helper: str, function: str) -> str:
    """The helper's name, or its alias when the decorated function has the same name (``def after_request``
    in a factory would make the name local: UnboundLocalError at the decorator)."""
    name = HELPER_ALIAS_FOR.get(helper, helper) if function == helper else helper
    tr.needs.add(name)
    return name


def is_flask_decorator(tr: Conversion, dec: cst.Decorator) -> bool:
    """A decorator of a Flask app or blueprint (``@app.get``, ``@bp.before_request``...)."""
    node = dec.decorator
    func = node.func if isinstance(node, cst.Call) else node
    return flask_owner(tr, func) is not None


def handler_key(tr: Conversion, value: cst.BaseExpression) -> cst.BaseExpression:
    """What an error handler is registered for: ``NotFound`` becomes 404, Werkzeug's HTTPException Starlette's."""
    target = tr.names.resolve(value) or ""
    short = target.rsplit(".", 1)[-1]
    if target.startswith("werkzeug.exceptions.") and short in responses.HTTP_ERRORS:
        return cst.Integer(str(responses.HTTP_ERRORS[short]))
    if short == "HTTPException" and target.startswith(("werkzeug", "flask")):
        tr.needs.add("StarletteHTTPException")
        return cst.Name("StarletteHTTPException")
    return value


def _route(tr: Conversion, node: cst.Call, attr: str, target: cst.BaseExpression, obj, function: str) -> cst.Call:
    positional = [a for a in node.args if a.keyword is None]
    rule_node = positional[0].value if positional else keyword_value(node, "rule")
    rule = rule_text(tr, rule_node)
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
            args.append(arg(cst.SimpleString(quoted_like(converted.path, rule_node))))
    methods = _methods_of(node, attr)
    if methods is None:
        verb = "api_route"
        args.append(arg(keyword_value(node, "methods"), "methods"))
    elif len(methods) == 1 and methods[0].lower() in ("get", "post", "put", "delete", "patch", "head", "options"):
        verb = methods[0].lower()
    else:
        verb = "api_route"
        args.append(arg(cst.List([cst.Element(cst.SimpleString(f'"{m}"')) for m in methods]), "methods"))
    endpoint = string_value(keyword_value(node, "endpoint"))
    if obj.blueprint:
        args.append(arg(cst.SimpleString(f'"{obj.blueprint}.{endpoint or function}"'), "name"))
    elif endpoint:
        args.append(arg(cst.SimpleString(f'"{endpoint}"'), "name"))
    for keyword in ("subdomain", "host", "provide_automatic_options"):
        if keyword_value(node, keyword) is not None:
            tr.todo(f"route option {keyword}= has no FastAPI twin")
    return cst.Call(cst.Attribute(target, cst.Name(verb)), commas(args))


def route_defaults(dec: cst.Decorator) -> dict[str, cst.BaseExpression]:
    """``defaults={"page": 1}`` on a route: the view parameter's default in FastAPI."""
    node = dec.decorator
    values = keyword_value(node, "defaults") if isinstance(node, cst.Call) else None
    if not isinstance(values, cst.Dict):
        return {}
    return {
        e.key.evaluated_value: e.value
        for e in values.elements
        if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)
    }
