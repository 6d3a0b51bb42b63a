"""Flask's context globals and class names where no view plan replaced them: ``g``, ``session``, ``request``.

In a function that has the request, ``g`` is ``request.state``, ``session`` is ``request.session`` and
``current_app`` is ``request.app``; elsewhere they come from the helper module. ``Flask``, ``Blueprint``
and Werkzeug's ``HTTPException`` in annotations and ``isinstance`` checks become FastAPI's.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import imports, request_outside_views
from codemods.flask_to_fastapi.conversion import Conversion
from codemods.flask_to_fastapi.nodes import arg, call

# Flask's names for its request context, answered by the helper's (``_flask_compat/request_context.py``)
REQUEST_CONTEXT = {
    f"flask.{where}{name}"
    for where in ("", "globals.")
    for name in ("has_request_context", "has_app_context", "_request_ctx_stack", "request_ctx")
}


def _in_request(tr: Conversion) -> bool:
    """The function being rewritten has the request (or shares its view's)."""
    scope = tr.scopes[-1] if tr.scopes else None
    return scope is not None and (scope.has_request or scope.role == "closure")


def attribute(tr: Conversion, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
    """``g.user``, ``request.path`` outside a view plan, ``flask.json.dumps``."""
    target = tr.names.resolve(original.value)
    scope = tr.scopes[-1] if tr.scopes else None
    in_request = _in_request(tr)
    if tr.names.resolve(original) in ("flask.Flask", "flask.Blueprint"):  # ``isinstance(obj, flask.Blueprint)``
        replacement = "FastAPI" if original.attr.value == "Flask" else "APIRouter"
        tr.needs.add(replacement)
        return cst.Name(replacement)
    if target == "flask.g":
        if in_request:
            return updated.with_changes(value=cst.Attribute(tr.request_expr(), cst.Name("state")))
        tr.needs.add("g")
        return updated.with_changes(value=cst.Name("g"))
    if scope is not None and isinstance(original.value, cst.Name) and original.value.value in scope.request_aliases:
        return request_outside_views.request_attribute(tr, original, updated, original.value.value)  # req = request
    if target == "flask.request" and not in_request:
        return request_outside_views.proxy_request_attribute(tr, original, updated)
    if target == "flask.request" and scope.role != "view" and isinstance(original.value, cst.Name):
        return request_outside_views.request_attribute(tr, original, updated, scope.request)
    if tr.names.resolve(original) == "flask.after_this_request":  # ``flask.after_this_request(fn)``
        tr.needs.add("after_this_request")
        return cst.Name("after_this_request")
    if tr.names.resolve(original) in ("flask.json.dumps", "flask.json.loads"):
        return cst.Attribute(cst.Name("json"), original.attr)
    return updated


def name(tr: Conversion, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
    """A bare name bound to Flask (or an extension): a global, a class, a Flask-Login/HTTPAuth helper."""
    target = tr.names.members.get(original.value)
    if target is None:
        return updated
    if target in ("werkzeug.exceptions.HTTPException", "werkzeug.HTTPException") and id(original) in tr.class_bases:
        tr.needs.add("WerkzeugError")  # a project's own error class: built as Werkzeug's (``Teapot()``, code = 418)
        return cst.Name("WerkzeugError")
    if target in ("werkzeug.exceptions.HTTPException", "werkzeug.HTTPException"):  # isinstance checks, annotations
        tr.needs.add("StarletteHTTPException")
        return cst.Name("StarletteHTTPException")
    short = target.rsplit(".", 1)[-1]
    if target.startswith("werkzeug.exceptions.") and short in imports.HTTP_ERRORS:
        tr.needs.add(short)  # read as a value (``NotFound().name``, ``Forbidden.code``): Werkzeug's attributes
        return cst.Name(short)
    if target in ("flask.Flask", "flask.Blueprint"):  # annotations and isinstance checks
        replacement = "FastAPI" if target == "flask.Flask" else "APIRouter"
        tr.needs.add(replacement)
        return cst.Name(replacement)
    if target.startswith(("flask_login.", "flask_httpauth.", "flask_cors.")):
        short = target.rsplit(".", 1)[-1]
        if short in imports.HELPER_NAMES:
            tr.needs.add(short)
        elif target.startswith("flask_httpauth."):
            tr.todo(f"Flask-HTTPAuth {short} has no helper: use a fastapi.security dependency (HTTPBasic/HTTPBearer)")
        return updated
    if target in REQUEST_CONTEXT:  # Flask's request context as per-request storage: the helper's
        tr.needs.add(original.value)
        return updated
    if target == "flask.after_this_request":  # called or a decorator: the helper's, on this request's response
        tr.needs.add("after_this_request")
        return cst.Name("after_this_request")
    if target == "flask.url_for" and id(original) not in tr.call_funcs:  # handed as a value (``get_url=url_for``)
        tr.needs.add("request_url_for")  # the helper's, called as Flask's: no request argument
        return cst.Name("request_url_for")
    in_request = _in_request(tr)
    if target in ("flask.session", "flask.current_app"):
        if in_request:
            return cst.Attribute(tr.request_expr(), cst.Name("session" if target == "flask.session" else "app"))
        tr.needs.add(original.value)  # ``session as flask_session``: the helper's, under that name
        return updated
    if target == "flask.g":
        if in_request:
            return cst.Attribute(tr.request_expr(), cst.Name("state"))
        tr.needs.add(original.value)
        return updated
    if target == "flask.request" and in_request and original.value != tr.scopes[-1].request:
        return tr.request_expr()  # an alias of the request (``from flask import request as r``): the function's own
    if target == "flask.request" and not in_request:
        tr.needs.add(original.value)  # ``from flask import request as r``: the helper's proxy under that name
    return updated


def membership(tr: Conversion, original: cst.Comparison, updated: cst.Comparison) -> cst.BaseExpression:
    """``"key" in g`` becomes ``hasattr(request.state, "key")``."""
    if len(original.comparisons) == 1 and tr.names.resolve(original.comparisons[0].comparator) == "flask.g":
        operator = original.comparisons[0].operator
        if _in_request(tr) and isinstance(operator, (cst.In, cst.NotIn)):
            check = call("hasattr", arg(cst.Attribute(tr.request_expr(), cst.Name("state"))), arg(updated.left))
            return cst.UnaryOperation(cst.Not(), check) if isinstance(operator, cst.NotIn) else check
    return updated
