"""A function's signature once its body is rewritten: what views, handlers, hooks and helpers now take.

Views get their typed parameters (path, query, form, body) and ``request: Request`` when they read it,
and become ``async def`` when nothing in them blocks; handlers take ``(request, exc)``.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import blocking, decorators, variadic_wrappers, views_by_hand
from codemods.flask_to_fastapi.conversion import Conversion, Scope
from codemods.flask_to_fastapi.names import FLASK_MODULES
from codemods.flask_to_fastapi.nodes import code, expr
from codemods.flask_to_fastapi.responses import HTTP_ERRORS
from codemods.flask_to_fastapi.shadowing import HELPER_REQUEST


def _param(text: str) -> cst.Param:
    function = cst.parse_statement(f"def f({text}): pass\n")
    return function.params.params[0]


def _with_params(
    function: cst.FunctionDef, extra: list[cst.Param], first: list[cst.Param] = (), method: bool = False
) -> cst.FunctionDef:
    """Parameters added to a function: ``first`` ones lead, after ``self``/``cls`` when it is a method."""
    own = list(function.params.params)
    bound = own[:1] if method and own else []
    params = [*bound, *first, *own[len(bound) :], *extra]
    required = [p for p in params if p.default is None]
    optional = [p for p in params if p.default is not None]
    ordered = [p.with_changes(comma=cst.MaybeSentinel.DEFAULT) for p in required + optional]
    return function.with_changes(params=function.params.with_changes(params=ordered))


def _is_method(tr: Conversion, function: cst.FunctionDef) -> bool:
    """A function defined right in a class body (not a staticmethod): its first parameter is ``self``/``cls``."""
    return bool(tr.class_stack) and not any(code(d.decorator) == "staticmethod" for d in function.decorators)


def _reads(body: cst.CSTNode, name: str) -> bool:
    found = []

    class Reads(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            if node.value == name:
                found.append(node)

    body.visit(Reads())
    return bool(found)


def finish_view(tr: Conversion, scope: Scope, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
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
    last = []
    existing = {p.name.value for p in (*updated.params.params, *updated.params.kwonly_params)}
    if _reads(updated.body, scope.request) and scope.request not in existing:
        default = _called_default(tr, scope)  # the tests call it by hand: keyword-only, the helper's proxy
        (last if default else first).append(_param(f"{scope.request}: Request{default}"))
        tr.needs.add("Request")
        if not tr.class_stack and not tr.scopes and scope.request == "request":
            tr.request_views.add(original.name.value)
            if default:
                tr.request_last.add(original.name.value)
    if plan is not None:
        for p in plan.params:
            if p.name not in existing:
                extra.append(_param(p.code()))
                tr.needs.update(p.uses)
                if p.source == "dependency":
                    tr.needs.add(p.key)
    updated = _with_params(updated, extra, first, _is_method(tr, updated))
    if last:
        updated = views_by_hand.keyword_only(updated, last)
    only_routes = all(decorators.is_flask_decorator(tr, d) for d in updated.decorators) and not (
        tr.class_stack and tr.class_stack[-1] in tr.analysis.decorated_views  # its decorators call it: stays def
    )
    called = original.name.value in tr.analysis.called  # by another view: its caller gets its value, not a coroutine
    if updated.asynchronous is None and only_routes and not called and blocking.safe_on_event_loop(updated):
        updated = updated.with_changes(asynchronous=cst.Asynchronous())
    return variadic_wrappers.mark(tr, scope, original, updated)


def finish_handler(
    tr: Conversion, scope: Scope, updated: cst.FunctionDef, original: cst.FunctionDef | None = None
) -> cst.FunctionDef:
    params = list(updated.params.params)
    tr.needs.add("Request")
    if not params:
        params = [_param(f"{scope.request}: Request"), _param("exc")]
    elif params[0].name.value != scope.request:
        at = 1 if _is_method(tr, updated) else 0
        if len(params) <= at or params[at].name.value != scope.request:
            params.insert(at, _param(f"{scope.request}: Request"))
    if not tr.class_stack and not tr.scopes and scope.request == "request":  # a view calling it passes the request
        tr.request_views.add(updated.name.value)
    updated = updated.with_changes(
        params=updated.params.with_changes(params=[p.with_changes(comma=cst.MaybeSentinel.DEFAULT) for p in params])
    )
    error = params[1].name.value if len(params) > 1 else None
    if error:
        attributes = _ErrorAttributes(
            error, tr.needs, keep_code=original is not None and _own_errors_only(tr, original, error)
        )
        updated = updated.with_changes(body=updated.body.visit(attributes))
        if attributes.responses:
            tr.todo("e.get_response() is a Starlette response: only data and content_type are set as Werkzeug's")
    return updated


_NOT_OWN_ERRORS = {"HTTPException", "StarletteHTTPException", "WerkzeugError", "Exception", "BaseException"}


def _own_errors_only(tr: Conversion, original: cst.FunctionDef, error: str) -> bool:
    """The handler's decorators register it for errors of the app's own only (``@app.errorhandler(ApiError)``), or
    its ``error`` parameter is annotated with one (``def handle(error: ApiError)``, registered elsewhere), or every
    ``app.register_error_handler(ApiError, handle)`` of the module names a class of the app's own (defined here or
    imported from a module that is not Flask's), no HTTP code nor Werkzeug's HTTP errors: their ``code`` is the
    app's attribute, not Starlette's ``status_code``."""
    annotated = [
        p.annotation.annotation for p in original.params.params if p.name.value == error and p.annotation is not None
    ]
    kinds = annotated or [
        d.decorator.args[0].value
        for d in original.decorators
        if isinstance(d.decorator, cst.Call)
        and isinstance(d.decorator.func, cst.Attribute)
        and d.decorator.func.attr.value in ("errorhandler", "app_errorhandler")
        and d.decorator.args
    ]
    if not kinds:  # ``for code in ...: app.register_error_handler(code, f)`` is no class of the app's own
        registered = tr.analysis.error_kinds.get(original.name.value, [])
        return bool(registered) and all(_own_class(tr, k) for k in registered)
    names = [
        k.attr.value if isinstance(k, cst.Attribute) else k.value if isinstance(k, cst.Name) else None for k in kinds
    ]
    return all(
        _own_class(tr, k) or (n is not None and n not in HTTP_ERRORS and n not in _NOT_OWN_ERRORS)
        for k, n in zip(kinds, names, strict=True)
    )


def _own_class(tr: Conversion, kind: cst.BaseExpression) -> bool:
    """``ApiError`` a class the module defines, or a class-like name imported from a module not Flask's: a loop's
    ``code`` or an imported constant is no error class of the app's own."""
    if not isinstance(kind, cst.Name) or tr.names.resolve(kind) is not None:
        return False
    if kind.value in tr.analysis.own_names:
        return kind.value in tr.analysis.own_classes
    imported = tr.resolver.imports.get(kind.value) if tr.resolver is not None else None
    top = (imported or "").split(".")[0]
    return bool(imported) and top not in (*FLASK_MODULES, "starlette", "fastapi") and not kind.value.isupper()


class _ErrorAttributes(cst.CSTTransformer):
    """Werkzeug's ``e.code`` is Starlette's ``e.status_code`` (``keep_code``: the app's own error, whose ``code`` it
    is); ``e.description``, ``e.name`` and ``e.get_response()`` are the helper's ``error_description(e)``,
    ``error_name(e)`` and ``error_response(e)`` (Werkzeug's texts and page for the code: Starlette's error has only
    the short phrase as ``detail``)."""

    def __init__(self, name: str, needs: set[str], keep_code: bool = False):
        self.name, self.needs, self.responses, self.keep_code = name, needs, 0, keep_code

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if isinstance(updated.value, cst.Name) and updated.value.value == self.name:
            if updated.attr.value == "code" and not self.keep_code:
                return updated.with_changes(attr=cst.Name("status_code"))
            helper = {"description": "error_description", "name": "error_name"}.get(updated.attr.value)
            if helper:
                self.needs.add(helper)
                return cst.Call(cst.Name(helper), [cst.Arg(updated.value)])
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        func = updated.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value == self.name
            and func.attr.value == "get_response"
            and not updated.args
        ):
            self.needs.add("error_response")
            self.responses += 1
            return cst.Call(cst.Name("error_response"), [cst.Arg(func.value)])
        return updated


def finish_hook(tr: Conversion, scope: Scope, updated: cst.FunctionDef) -> cst.FunctionDef:
    """The helper calls a hook with its response/error positionally and ``request=`` by name."""
    params = updated.params
    existing = {p.name.value for p in (*params.params, *params.kwonly_params)}
    if not _reads(updated.body, scope.request) or scope.request in existing:
        return updated
    tr.needs.add("Request")
    request = _param(f"{scope.request}: Request{_called_default(tr, scope)}")
    if not params.params and not params.kwonly_params and params.star_arg is cst.MaybeSentinel.DEFAULT:
        return _with_params(updated, [request])
    star = params.star_arg if params.star_arg is not cst.MaybeSentinel.DEFAULT else cst.ParamStar()
    return updated.with_changes(
        params=params.with_changes(star_arg=star, kwonly_params=[*params.kwonly_params, request])
    )


def _called_default(tr: Conversion, scope: Scope, after: list[cst.Param] = ()) -> str:
    """`` = request_helper`` where the project's tests call the function themselves (without the request, in a
    request context they push): the helper's request proxy stands for it. Not before a parameter with no default."""
    project = getattr(tr.notes, "project", None)
    if scope.key not in getattr(project, "called_by_tests", ()):
        return ""
    if any(p.default is None for p in after):
        tr.todo(f"the tests call {scope.key.rpartition('.')[2]}() themselves: it now takes the request first")
        return ""
    tr.needs.add(HELPER_REQUEST)
    return f" = {HELPER_REQUEST}"


def finish_threaded(tr: Conversion, scope: Scope, updated: cst.FunctionDef) -> cst.FunctionDef:
    """A helper that read ``flask.request`` takes the request first (after ``self``), as the views pass it."""
    params = list(updated.params.params)
    if any(p.name.value == scope.request for p in (*params, *updated.params.kwonly_params)):
        return updated
    tr.needs.add("Request")
    at = 1 if _is_method(tr, updated) and params else 0
    params.insert(at, _param(f"{scope.request}: Request{_called_default(tr, scope, params[at:])}"))
    params = [p.with_changes(comma=cst.MaybeSentinel.DEFAULT) for p in params]
    return updated.with_changes(params=updated.params.with_changes(params=params))
