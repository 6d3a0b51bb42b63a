"""Registration calls on apps and blueprints: ``register_blueprint``, ``add_url_rule``, hooks and handlers.

``app.register_blueprint(bp, url_prefix=...)`` becomes ``app.include_router(bp, prefix=...)``;
``add_url_rule`` becomes ``add_api_route`` (one route per HTTP method for ``MethodView.as_view``), with
``response_model=None`` where the view's return annotation would be FastAPI's response model (``view_returns``).
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import decorators, extension_blueprints, rules, view_returns
from codemods.flask_to_fastapi.analysis import HOOKS, WebObject
from codemods.flask_to_fastapi.conversion import Conversion
from codemods.flask_to_fastapi.names import dotted
from codemods.flask_to_fastapi.nodes import arg, call, commas, string_literal, string_value
from codemods.flask_to_fastapi.url_prefixes import prefix_arg


def rewrite(tr: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """A registration call on a Flask app or blueprint, rewritten; None for any other call."""
    decorated = _blueprint_decorator(tr, updated) or extension_blueprints.rewrite(tr, updated)
    if decorated is not None:
        return decorated
    func = original.func
    if not isinstance(func, cst.Attribute):
        return None
    attr = func.attr.value
    owner_name = dotted(func.value)
    if attr == "as_view" and _assigned_as_view(tr, original) and owner_name in tr.analysis.method_views:
        if _per_request(updated):  # the rules' view_class(...), whose endpoints make the class per request
            tr.needs.add("view_class")
            tr.view_classes_kept = True
            return call("view_class", arg(updated.func.value), *updated.args)
        return updated.with_changes(func=updated.func.value, args=commas(updated.args[1:]))  # the rule's instance
    if attr == "as_view" and owner_name in tr.analysis.method_views and updated.args:
        return _view_class(tr, updated)  # handed to code we do not follow (a project's ``register_view(bp, ...)``)
    # app.register_blueprint(bp, url_prefix=...) -> app.include_router(bp, prefix=...)
    if attr == "register_blueprint" and owner_name in tr.analysis.objects:
        args = []
        for a in updated.args:
            if a.keyword and a.keyword.value == "url_prefix":
                args.append(prefix_arg(a.value))
            elif a.keyword and a.keyword.value in ("subdomain", "name", "url_defaults", "cli_group"):
                tr.todo(f"register_blueprint({a.keyword.value}=...) has no include_router twin")
            else:
                args.append(a)
        return updated.with_changes(
            func=cst.Attribute(updated.func.value, cst.Name("include_router")), args=commas(args)
        )
    if attr == "add_url_rule" and (owner_name in tr.analysis.objects or _known_view_class(tr, original)):
        return _add_url_rule(tr, original, updated, owner_name)
    if attr == "add_url_rule" and owner_name is not None and tr.names.resolve(func.value) is None and updated.args:
        # an owner handed in (``def register_view(bp_or_app, routes, view_func)``): a router, the app or Flask's own
        tr.needs.add("url_rule")
        tr.todo(
            "add_url_rule on a router or app handed in (url_rule): a MethodView's as_view() routes each of its "
            "methods; a plain Flask view function handed here is not converted: convert it where it is defined"
        )
        return call("url_rule", arg(updated.func.value), *updated.args)
    if attr in HOOKS and owner_name is not None and len(updated.args) == 1 and tr.names.resolve(func.value) is None:
        tr.needs.add(HOOKS[attr])
        return cst.Call(call(HOOKS[attr], arg(updated.func.value)), [updated.args[0]])
    obj = tr.analysis.objects.get(owner_name or "")
    if obj is not None and obj.kind == "router":
        helped = _router_call(tr, attr, updated)
        if helped is not None:
            return helped
    # the name is Flask's own: an owner we do not know (a factory's parameter) is an app too
    if (
        attr == "register_error_handler"
        and (tr.analysis.is_app(owner_name) or owner_name not in tr.analysis.objects)
        and len(updated.args) == 2
    ):
        if _imported(tr, updated.args[1].value):  # its def is Flask's (exc) one: the face's register_error_handler
            return updated
        return updated.with_changes(
            func=cst.Attribute(updated.func.value, cst.Name("add_exception_handler")),
            args=[arg(decorators.handler_key(tr, updated.args[0].value)), updated.args[1]],
        )
    return None


def _endpoint(method: cst.Attribute, decorated: bool, per_request: bool = False) -> cst.BaseExpression:
    """``Cls().get``, or ``method_view(Cls().get)`` when the class has ``decorators`` to wrap it in; for a class made
    per request (``view_class(Cls, ...)``), ``view_class(Cls, ...).endpoint("get")``, in its decorators already."""
    if per_request:
        name = cst.SimpleString(f'"{method.attr.value}"')
        return cst.Call(cst.Attribute(method.value, cst.Name("endpoint")), [arg(name)])
    return call("method_view", arg(method)) if decorated else method


def _defaulted(tr: Conversion, view: cst.BaseExpression, defaults: cst.BaseExpression | None) -> cst.BaseExpression:
    """The view of a rule with ``defaults={"page": 1}``: ``with_defaults(view, {"page": 1})`` calls it with them, as
    Flask did (the parameter dropped silently, FastAPI asked the request for it: 422 where Flask answered)."""
    if defaults is None:
        return view
    tr.needs.add("with_defaults")
    return call("with_defaults", arg(view), arg(defaults))


def _per_request(as_view: cst.Call) -> bool:
    """``Cls.as_view("name", root=...)``: arguments for the class's ``__init__``, which Flask ran in each request
    (where it may read ``current_app``: at registration that raised 'Working outside of application context'); the
    class is then made per request (``view_class``). With the name only, one instance at registration, as before."""
    return len(as_view.args) > 1


def _add_url_rule(tr: Conversion, original: cst.Call, updated: cst.Call, owner: str) -> cst.BaseExpression:
    positional = [a for a in updated.args if a.keyword is None]
    keywords = {a.keyword.value: a.value for a in updated.args if a.keyword is not None}
    rule = positional[0].value if positional else keywords.get("rule")
    endpoint = positional[1].value if len(positional) > 1 else keywords.get("endpoint")
    view = positional[2].value if len(positional) > 2 else keywords.get("view_func")
    obj = tr.analysis.objects.get(owner, WebObject("app"))  # an app passed in: ``def register(app)``
    text = string_value(rule)
    path = rule
    if text is not None:
        converted = rules.convert(text)
        if converted.problem:
            tr.todo(converted.problem)
        path = string_literal(converted.path)
    methods_node = keywords.get("methods")
    defaults = keywords.get("defaults")  # the rule's URL values the view is called with (not in the path)
    view = _as_view_again(tr, view)
    assigned = isinstance(view, cst.Name) and view.value in tr.analysis.as_view_names
    made = tr.analysis.as_view_names[view.value] if assigned else view  # ``view = Cls.as_view("name")`` above
    # MethodView.as_view("name") -> one route per HTTP method the class defines
    if isinstance(made, cst.Call) and isinstance(made.func, cst.Attribute) and made.func.attr.value == "as_view":
        cls = dotted(made.func.value)
        name = made.args[0].value if made.args else endpoint
        if cls in tr.analysis.method_views:
            methods = tr.analysis.method_views[cls]
            asked = _methods(methods_node)  # methods=[...] on the rule: only those answer it
            methods = [m for m in methods if asked is None or m in asked] or methods
            # the instance the assignment now makes (one for all its rules, as Flask's view was), else one here;
            # a class taking as_view's arguments is made per request: view_class(Cls, "name", ...), as Flask's
            instance = view if assigned else cst.Call(made.func.value, [a for a in made.args[1:]])
            per_request = _per_request(made)
            if not assigned and per_request:
                tr.needs.add("view_class")
                tr.view_classes_kept = True
                instance = call("view_class", arg(made.func.value), *made.args)
            named = route_name(obj, name)
            if not methods:
                tr.todo(f"{cls} defines no HTTP method: register its handlers with add_api_route")
                return updated
            # Flask's as_view wraps the view in its decorators; a dispatch_request override runs before the method
            decorated = cls in tr.analysis.decorated_views or cls in tr.analysis.chained
            if decorated:
                tr.needs.add("method_view")
            if cls in tr.analysis.dispatch:  # a View: dispatch_request answers every method of the rule
                return call(
                    f"{owner}.add_api_route",
                    arg(path),
                    arg(
                        _defaulted(
                            tr,
                            _endpoint(cst.Attribute(instance, cst.Name("dispatch_request")), decorated, per_request),
                            defaults,
                        )
                    ),
                    arg(cst.List([cst.Element(cst.SimpleString(f'"{m}"')) for m in methods]), "methods"),
                    *([arg(named, "name")] if named is not None else []),
                    *_no_model(view_returns.method_annotated(_returns(tr), cls, "dispatch_request")),
                )
            calls = [
                call(
                    f"{owner}.add_api_route",
                    arg(path),
                    arg(
                        _defaulted(
                            tr,
                            _endpoint(cst.Attribute(instance, cst.Name(m.lower())), decorated, per_request),
                            defaults,
                        )
                    ),
                    arg(cst.List([cst.Element(cst.SimpleString(f'"{m}"'))]), "methods"),
                    *([arg(named, "name")] if named is not None else []),
                    *_no_model(view_returns.method_annotated(_returns(tr), cls, m.lower())),
                )
                for m in methods
            ]
            if len(calls) == 1:
                return calls[0]
            return cst.Tuple([cst.Element(c) for c in calls], lpar=[], rpar=[])
        # a class read only at run time (``view.as_view(endpoint)`` in a ``register_api(view, ...)`` helper): a
        # converted class's as_view (its helper base) routes each of its methods there (url_rule), defaults too
        tr.needs.add("url_rule")
        if tr.names.resolve(made.func.value) is not None:  # imported from outside the run: a Flask class, kept
            tr.todo(f"{cls}.as_view(): only a converted MethodView's as_view is routed by url_rule")
        return call("url_rule", arg(updated.func.value), *updated.args)
    if view is None and endpoint is not None:
        tr.needs.add("add_url_alias")  # url_for(endpoint) builds this rule; the route answering it is elsewhere
        return call("add_url_alias", arg(updated.func.value), arg(path), arg(endpoint))
    if view is None:
        tr.todo("add_url_rule without view_func: register the view with add_api_route")
        return updated
    args = [arg(path), arg(_defaulted(tr, view, defaults))]
    args.append(
        arg(methods_node if methods_node is not None else cst.List([cst.Element(cst.SimpleString('"GET"'))]), "methods")
    )
    named = route_name(obj, endpoint)
    if named is not None:
        args.append(arg(named, "name"))
    args += _no_model(view_returns.view_annotated(_returns(tr), view))
    if not (isinstance(view, cst.Name) and view.value in tr.analysis.url_rule_views):
        tr.todo("the view is defined in another module: convert its request access and returns there")
    return call(f"{owner}.add_api_route", *args)


def _returns(tr: Conversion) -> view_returns.Returns | None:
    return getattr(tr, "view_returns", None)


def _no_model(annotated: bool) -> list[cst.Arg]:
    """``response_model=None`` for a view whose return annotation FastAPI would take for its response model."""
    return [arg(cst.Name("None"), "response_model")] if annotated else []


def _view_class(tr: Conversion, updated: cst.Call) -> cst.Call:
    """``Cls.as_view("name", ...)`` of a converted class -> ``view_class(Cls, "name", ...)`` (the class has no
    ``as_view`` any more); an ``add_url_rule`` around it reads it back as ``Cls.as_view`` (``_as_view_again``)."""
    tr.needs.add("view_class")
    tr.view_classes_made = getattr(tr, "view_classes_made", 0) + 1
    return call("view_class", arg(updated.func.value), *updated.args)


def _as_view_again(tr: Conversion, view: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """``view_class(Cls, "name", ...)`` made just below this ``add_url_rule``, as the ``Cls.as_view(...)`` it was:
    the rule routes the class's methods itself, so the helper is not needed for it."""
    if not (isinstance(view, cst.Call) and isinstance(view.func, cst.Name) and view.func.value == "view_class"):
        return view
    if not getattr(tr, "view_classes_made", 0):
        return view
    tr.view_classes_made -= 1
    if not tr.view_classes_made and not getattr(tr, "view_classes_kept", False):
        tr.needs.discard("view_class")
    return cst.Call(cst.Attribute(view.args[0].value, cst.Name("as_view")), commas(view.args[1:]))


def _blueprint_decorator(tr: Conversion, updated: cst.Call) -> cst.BaseExpression | None:
    """``limiter.limit("5/minute")(bp)``, ``limiter.exempt(bp)`` on a converted blueprint: an extension's decorator
    reading the blueprint's Flask attributes (``bp.name``) -> ``blueprint_decorated(decorator, bp, __name__)``."""
    if len(updated.args) != 1 or updated.args[0].keyword is not None or updated.args[0].star:
        return None
    target = updated.args[0].value
    obj = tr.analysis.objects.get(target.value) if isinstance(target, cst.Name) else None
    if obj is None or obj.kind != "router":
        return None
    func = updated.func
    if isinstance(func, cst.Call):  # a decorator factory's result: ``limit(...)(bp)``
        root = func.func
    elif isinstance(func, cst.Attribute):  # a method of an extension's object: ``limiter.exempt(bp)``
        root = func
        if func.attr.value in ("register_blueprint", "include_router", "init_app") or func.attr.value in HOOKS:
            return None
    else:
        return None
    owner = root.value if isinstance(root, cst.Attribute) else None
    if not isinstance(owner, cst.Name) or owner.value in tr.analysis.objects or tr.names.resolve(owner) is not None:
        return None
    tr.needs.add("blueprint_decorated")
    tr.todo(
        f"{dotted(root)}(...) on a blueprint: the extension is handed a Flask Blueprint of the router's name "
        "(blueprint_decorated); what it does per request runs only where its own hooks run on the FastAPI app"
    )
    return call("blueprint_decorated", arg(func), arg(target), arg(cst.Name("__name__")))


def _imported(tr: Conversion, handler: cst.BaseExpression) -> bool:
    """A handler imported from another module (``from app.errors import render_error`` in the factory): its
    ``def render_error(error)`` is not rewritten to FastAPI's ``(request, exc)`` here."""
    name = dotted(handler)
    resolver = getattr(tr, "resolver", None)
    return bool(name and resolver is not None and name.split(".")[0] in resolver.imports)


def _router_call(tr: Conversion, attr: str, updated: cst.Call) -> cst.BaseExpression | None:
    """A blueprint's registration method as the helper's decorator, applied: ``errorhandler(bp, 404)(handle)``."""
    router = arg(updated.func.value)
    args = list(updated.args)
    if attr == "register_error_handler" and len(args) == 2:
        tr.needs.add("errorhandler")
        key = arg(decorators.handler_key(tr, args[0].value))
        return cst.Call(call("errorhandler", router, key), [args[1].with_changes(comma=cst.MaybeSentinel.DEFAULT)])
    helper = {
        "add_app_template_filter": "template_filter",
        "add_template_filter": "template_filter",
        "add_app_template_global": "template_global",
        "add_template_global": "template_global",
        "context_processor": "context_processor",
        "app_context_processor": "context_processor",
    }.get(attr)
    if helper is None or not args or (helper == "context_processor" and len(args) != 1):
        return None
    tr.needs.add(helper)
    name = [arg(a.value) for a in args[1:2]]
    return cst.Call(call(helper, router, *name), [arg(args[0].value)])


def _assigned_as_view(tr: Conversion, original: cst.Call) -> bool:
    """``original`` is the ``Cls.as_view(...)`` of a module-level ``name = Cls.as_view(...)``."""
    return any(made is original for made in tr.analysis.as_view_names.values())


def _known_view_class(tr: Conversion, original: cst.Call) -> bool:
    """``add_url_rule(..., view_func=Known.as_view(...))``: whatever the owner, it is an app or a blueprint."""
    for a in original.args:
        view = a.value
        if isinstance(view, cst.Name) and view.value in tr.analysis.as_view_names:
            view = tr.analysis.as_view_names[view.value]
        if (
            isinstance(view, cst.Call)
            and isinstance(view.func, cst.Attribute)
            and view.func.attr.value == "as_view"
            and dotted(view.func.value) in tr.analysis.method_views
        ):
            return True
    return False


def _methods(node: cst.BaseExpression | None) -> list[str] | None:
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        values = [string_value(e.value) for e in node.elements]
        if all(values):
            return [v.upper() for v in values]
    return None


def route_name(obj, endpoint: cst.BaseExpression | None) -> cst.BaseExpression | None:
    text = string_value(endpoint)
    if obj.blueprint and text is not None:
        return string_literal(f"{obj.blueprint}.{text}")
    return endpoint
