"""Views the project's tests call by hand take the request last, keyword-only, defaulting to the helper's proxy.

A suite calling a view as a function in a request context it pushed (``project_list_current_json()``,
``event_activity_json(event.id)``) met the ``request: Request`` the conversion puts first: a TypeError, or the id
bound to ``request``. For such a view (``project.called_by_tests``) the request goes after its own parameters,
keyword-only, its default the helper's request proxy (the request of the context the test pushed), and a view of
the module calling it passes its own by name. FastAPI still hands it the request it serves: a parameter annotated
``Request`` is injected whatever its default (``fastapi.dependencies.utils.add_non_field_param_to_dependency``).
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi.shadowing import HELPER_REQUEST

BY_NAME = cst.parse_expression("f(request=request)").args[0]
DEFAULTED = cst.parse_statement(f"def f(request: Request = {HELPER_REQUEST}): ...").params.params[0]


def keyword_only(function: cst.FunctionDef, params: list[cst.Param]) -> cst.FunctionDef:
    """``params`` after the function's own, keyword-only (after ``*``, or after its ``*args``)."""
    own = function.params
    star = own.star_arg if own.star_arg is not cst.MaybeSentinel.DEFAULT else cst.ParamStar()
    kwonly = [p.with_changes(comma=cst.MaybeSentinel.DEFAULT) for p in (*own.kwonly_params, *params)]
    return function.with_changes(params=own.with_changes(star_arg=star, kwonly_params=kwonly))


def request_last(function: cst.FunctionDef) -> cst.FunctionDef:
    """``def view(a, *, request: Request = request_helper)``: what ``passing`` gives a route it hands a request."""
    return keyword_only(function, [DEFAULTED])


def called_by_hand(tr) -> set[str]:
    """The module's own functions whose request ``passing.pass_request_to_views`` passes by name: views given a
    keyword-only request (``tr.request_last``), and those the tests call that it gives one."""
    project = getattr(tr.notes, "project", None)
    module = tr.resolver.name if tr.resolver is not None else None
    named = {k.rpartition(".")[2] for k in getattr(project, "called_by_tests", ()) if k.rpartition(".")[0] == module}
    return tr.request_last | (named - tr.request_views)


def called_by_tests(tr, scope) -> bool:
    """The project's tests call this view themselves: it answers a response, as Flask's ``jsonify`` gave them
    (``(await search()).json``), not the literal FastAPI would encode (a dict: no ``.json``); its page is also its
    text (``responses.returned``'s ``by_hand``)."""
    return scope.key in getattr(getattr(tr.notes, "project", None), "called_by_tests", ())
