"""A view decorator's own answer: ``return "no", 401`` in its wrapper is made a response as Flask did.

Flask passes whatever the decorated view returns (the wrapper's result) through ``make_response``; FastAPI
would encode the tuple as JSON with a 200. A wrapper is a function nested in another, returned by name,
that calls one of the outer function's parameters with ``*args``/``**kwargs`` (the decorated view).
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from codemods.flask_to_fastapi.names import dotted

TODO = (
    "this decorator's own answers go through make_response, as a Flask view's did; "
    "if it also wraps functions that are not views, keep their results as they were"
)


def wrappers(function: cst.FunctionDef) -> dict[int, str]:
    """The decorator wrappers defined directly in ``function``: id of the def -> the wrapped parameter's name."""
    params = {p.name.value for p in (*function.params.posonly_params, *function.params.params)}
    returned = _returned_names(function)
    found = {}
    for statement in function.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value in returned:
            if not isinstance(statement.params.star_arg, cst.Param) and statement.params.star_kwarg is None:
                continue  # libcst's absent ``*args`` is a sentinel, not None: a decorator factory's ``decorator(f)``
            called = _forwarding_calls(statement, params)
            if called:
                found[id(statement)] = called
    return found


def _forwarding_calls(wrapper: cst.FunctionDef, params: set[str]) -> str | None:
    """The outer parameter the wrapper calls with ``*args``/``**kwargs``, if any."""
    found: list[str] = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if (
                isinstance(node.func, cst.Name)
                and node.func.value in params
                and any(a.star in ("*", "**") for a in node.args)
            ):
                found.append(node.func.value)

    wrapper.body.visit(Calls())
    return found[0] if found else None


def consumes_result(function: cst.FunctionDef) -> bool:
    """Whether the decorator ``function``'s wrapper does something with the view's result (``d = f(*a, **k)``,
    ``jsonify(**f(*a, **k))``) rather than return it: the views under it keep returning what they returned."""
    found = wrappers(function)
    returned = _returned_names(function)
    return any(
        _uses_result(statement, found[id(statement)])
        if id(statement) in found
        else statement.name.value in returned and consumes_result(statement)  # a factory's ``decorator(f)``
        for statement in function.body.body
        if isinstance(statement, cst.FunctionDef)
    )


def consuming(decorator: cst.Decorator | cst.BaseExpression, names: set[str]) -> bool:
    """Whether the decorator (``@json``, or a factory's ``@collection(Model)``, or an element of a view class's
    ``decorators = [templated()]``) is one of ``names``."""
    node = decorator.decorator if isinstance(decorator, cst.Decorator) else decorator
    return dotted(node.func if isinstance(node, cst.Call) else node) in names


def _returned_names(function: cst.FunctionDef) -> set[str]:
    return {
        s.value.value
        for line in function.body.body
        if isinstance(line, cst.SimpleStatementLine)
        for s in line.body
        if isinstance(s, cst.Return) and isinstance(s.value, cst.Name)
    }


def _uses_result(wrapper: cst.FunctionDef, wrapped: str) -> bool:
    returned: set[int] = set()
    used: list[bool] = []

    class Calls(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            if node.value is not None:
                returned.add(id(node.value))

        def visit_Call(self, node: cst.Call) -> None:
            if is_forwarding(node, wrapped) and id(node) not in returned:
                used.append(True)

    wrapper.body.visit(Calls())
    return bool(used)


def is_forwarding(value: cst.BaseExpression, wrapped: str) -> bool:
    """``return f(*args, **kwargs)``: the view's own answer, already a response."""
    return isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == wrapped


def answer(value: cst.BaseExpression) -> str:
    """The helper a wrapper's own answer goes through: ``make_response`` for what no dispatcher could use as it was
    (a number, None), ``view_value`` for the rest: a str or a Response stays as it is, anything else is made a
    response and stays the value at once. A tuple (``return "", 204``) is the tuple too, as whoever dispatched the
    view made the response of it in Flask: a REST extension's Api kept on Flask (Flask-RESTful's Resource) its own
    representation (``""`` as JSON), a plain view Flask's ``make_response``; a made response passed through."""
    literal = isinstance(value, (cst.Integer, cst.Float)) or m.matches(value, m.Name("None"))
    return "make_response" if literal else "view_value"


def answered(helper: str, value: cst.BaseExpression) -> cst.BaseExpression:
    """The wrapper's answer as ``helper``'s one argument: a tuple in its parentheses (``view_value(("", 204))``),
    Flask's ``make_response`` taking its elements as arguments (``make_response("no", 401)``)."""
    if helper == "view_value" and isinstance(value, cst.Tuple):
        return value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return value.with_changes(lpar=[], rpar=[])


def json_body(value: cst.BaseExpression) -> bool:
    """``return {"items": ...}``: a JSON body the app's default response class answers as Flask's make_response
    did, kept a dict for a decorator stacked above that uses it (``@json`` over ``@paged(2)``)."""
    return isinstance(value, (cst.Dict, cst.DictComp, cst.List, cst.ListComp))
