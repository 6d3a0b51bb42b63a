"""Calls anywhere: Flask's helper functions (``jsonify``, ``redirect``, ``url_for``, ``render_template``...).

Each becomes its FastAPI twin or the helper module's function of the same name; registration calls
go to ``registration``, and methods of an uploaded file and of ``g`` are rewritten here.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import registration, request_outside_views, response_header_names, responses, statements
from codemods.flask_to_fastapi.conversion import Conversion
from codemods.flask_to_fastapi.imports import FLASK_FORMS
from codemods.flask_to_fastapi.nodes import arg, call, string_literal


def rewrite(tr: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    """The call rewritten by what it calls (unchanged when it is nothing of Flask's)."""
    response_header_names.flag(tr, original)  # response.headers.keys(): lower-case names on Starlette, a TODO
    rewritten = request_outside_views.request_call(tr, original, updated)
    rewritten = rewritten or request_outside_views.to_dict(tr, original, updated)
    rewritten = rewritten or request_outside_views.multi_items(tr, original, updated)
    rewritten = rewritten or request_outside_views.typed_get(tr, original, updated)
    rewritten = rewritten or request_outside_views.listed_headers(tr, original, updated)
    if rewritten is not None:
        return rewritten
    target = tr.names.resolve(original.func)
    scope = tr.scopes[-1] if tr.scopes else None
    if target is None:
        return _method_calls(tr, original, updated, scope)
    short = target.rsplit(".", 1)[-1]
    if target == "flask.Flask":  # an assignment's value is rewritten with its statement (statements.rewrite)
        return statements.app_expression(tr, updated)
    if target in ("flask.jsonify", "flask.json.jsonify"):
        if scope is not None and id(original) in scope.return_heads:
            return updated
        local = tr.helper_local("jsonify")
        return responses.json_response(responses.jsonify_payload(updated, local), [], tr.needs, local)
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
        if short in tr.patched and short in FLASK_FORMS:  # the tests patch it and assert Flask's call
            return updated.with_changes(func=cst.Name(short))
        tr.needs.add(tr.helper_local(short))
        args = list(updated.args)
        if short == "url_for" and args and isinstance(args[0].value, cst.SimpleString):
            endpoint = args[0].value.evaluated_value
            if endpoint.startswith(".") and scope is not None and scope.blueprint:
                args[0] = args[0].with_changes(value=string_literal(f"{scope.blueprint}{endpoint}"))
        return updated.with_changes(func=cst.Name(tr.helper_local(short)), args=[arg(tr.request_expr()), *args])
    if target in (
        "flask.make_response",
        "flask.send_file",
        "flask.send_from_directory",
        "flask.helpers.send_file",
        "flask.helpers.make_response",
        "flask.helpers.send_from_directory",
    ):
        tr.needs.add(tr.helper_local(short))
        return updated.with_changes(func=cst.Name(tr.helper_local(short)))
    if target in ("flask.Response", "flask.wrappers.Response", "flask.current_app.response_class"):
        return responses.flask_response(updated, tr.needs, tr.analysis.generators)
    if target == "flask.stream_with_context" and updated.args:
        return updated.args[0].value
    if target in ("flask.escape", "flask.Markup", "markupsafe.escape"):
        tr.needs.add(short)
        return updated.with_changes(func=cst.Name(short))
    if target.startswith("werkzeug.exceptions.") and short in responses.HTTP_ERRORS:
        if id(original) in tr.raised_calls:
            return responses.http_error(short, updated, tr.needs)
        return updated  # ``InternalServerError().name``: the helper's class (context_globals.name)
    if target in ("flask.abort", "werkzeug.exceptions.abort"):
        if id(original) in tr.statement_calls:
            return updated  # the statement becomes a raise
        raised = responses.abort_exception(updated, tr.needs) if id(original) in tr.raised_calls else None
        if raised is not None:  # ``raise abort(401)``: abort raised its own error, the ``raise`` never ran
            return raised
        tr.todo("abort() used as a value: raise HTTPException(status_code=...) instead")
        return updated
    if target == "flask.copy_current_request_context":
        tr.todo(f"{short}() has no FastAPI twin: restructure around the request object")
        return updated
    if target == "flask.current_app._get_current_object" or target.endswith("._get_current_object"):
        if isinstance(updated.func, cst.Attribute) and isinstance(updated.func.value, cst.Name):
            return updated  # the helper's proxy: the object itself, to hand to a thread (the proxy is empty there)
        return updated.func.value if isinstance(updated.func, cst.Attribute) else updated
    if target.replace("flask_login.utils.", "flask_login.").count(".") == 1 and target.startswith("flask_login."):
        tr.needs.add(short)  # a function of Flask-Login's (not a method: ``current_user.get_id()`` stays)
        return updated.with_changes(func=cst.Name(short)) if isinstance(updated.func, cst.Attribute) else updated
    return _method_calls(tr, original, updated, scope)


def _method_calls(tr: Conversion, original: cst.Call, updated: cst.Call, scope) -> cst.BaseExpression:
    """``obj.method(...)``: a registration, a method of an uploaded file, ``g.get``/``g.pop``."""
    registered = registration.rewrite(tr, original, updated)
    if registered is not None:
        return registered
    func = original.func
    if not isinstance(func, cst.Attribute):
        return updated
    attr = func.attr.value
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
