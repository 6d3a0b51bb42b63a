"""The role a function plays, read before its body is rewritten: view, exception handler, request hook, or code.

A view's scope carries its HTTP methods, path parameters, route defaults and the plan for its request
accesses (``request_access``); MethodView methods and ``add_url_rule`` targets are views too.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import decorators, request_access, rules, shadowing
from codemods.flask_to_fastapi.conversion import Conversion, Scope

HTTP_METHOD_NAMES = ("get", "post", "put", "delete", "patch", "head", "options")


def request_name_in(tr: Conversion, node: cst.FunctionDef, own: frozenset[str] | None = None) -> str:
    """The name the request takes in ``node``: the module's for it, another where ``node`` binds that one itself."""
    name = tr.request_local()
    own = shadowing.bound(node) if own is None else own
    return shadowing.fresh(name, node) if name in own else name


def classify(tr: Conversion, node: cst.FunctionDef, own: frozenset[str] | None = None) -> Scope:
    """The scope of a function by what Flask knows of it (``plain`` when nothing); ``own``: its locals (``bound``)."""
    own = shadowing.bound(node) if own is None else own  # ``request = Model.find(...)``: never Flask's request here
    request_name = request_name_in(tr, node, own)
    request_names = (request_name, *sorted(tr.request_locals - {request_name} - own))  # read by each, written as first
    in_method_view = bool(tr.class_stack) and tr.class_stack[-1] in tr.analysis.method_views
    dispatching = in_method_view and tr.class_stack[-1] in tr.analysis.dispatch
    if (in_method_view and node.name.value in HTTP_METHOD_NAMES and not dispatching) or (
        dispatching and node.name.value == "dispatch_request"
    ):
        methods = tr.analysis.method_views[tr.class_stack[-1]] if dispatching else [node.name.value.upper()]
        scope = Scope(
            "view",
            request=request_name,
            methods=methods,
            path_params=rule_params(tr, tr.class_stack[-1]),
        )
        scope.plan = request_access.plan(node, request_names, scope.methods, replaced=tr.replaced_sources)
        return scope
    for decorator in node.decorators:
        info = decorators.decorator_info(tr, decorator)
        if info is None:
            continue
        kind, methods, path_params, blueprint = info
        if kind == "route":
            scope = Scope("view", request=request_name, methods=methods, path_params=path_params, blueprint=blueprint)
            for other in node.decorators:
                more = decorators.decorator_info(tr, other)
                if more is not None and more[0] == "route" and other is not decorator:
                    scope.path_params += [p for p in more[2] if p.name not in {q.name for q in scope.path_params}]
                    scope.methods = sorted(set(scope.methods or []) | set(more[1] or []))
                scope.defaults.update(decorators.route_defaults(other))
            called = node.name.value in tr.analysis.called and not tr.class_stack
            scope.plan = request_access.plan(node, request_names, scope.methods, called, tr.replaced_sources)
            return scope
        return Scope(kind, request=request_name, blueprint=blueprint)
    if node.name.value in tr.analysis.error_handlers and not tr.class_stack:
        return Scope("handler", request=request_name)
    if node.name.value in tr.analysis.url_rule_views and not tr.class_stack:
        methods = tr.analysis.url_rule_views[node.name.value]
        scope = Scope("view", request=request_name, methods=methods, path_params=rule_params(tr, node.name.value))
        called = node.name.value in tr.analysis.called
        scope.plan = request_access.plan(node, request_names, methods, called, tr.replaced_sources)
        return scope
    return Scope("plain", request=request_name)


def rule_params(tr: Conversion, view: str) -> list[rules.PathParam]:
    """The path parameters of every URL rule ``add_url_rule`` gives a view, each once."""
    params: dict[str, rules.PathParam] = {}
    for rule in tr.analysis.view_rules.get(view, []):
        for param in rules.convert(rule).params:
            params.setdefault(param.name, param)
    return list(params.values())
