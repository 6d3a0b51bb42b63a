"""A callback the app hands an unconverted Flask extension to answer the request with gives Flask's response.

Flask-Limiter calls ``limit(..., on_breach=cb)``'s ``cb`` (or ``Limiter(on_breach=cb)``'s) on a breached limit and
answers with what it returns only when that is a ``flask.Response``; anything else and its own 429 page goes out.
The converted callback's ``make_response(render_template(...))`` is Starlette's, so the app's page was lost ("Too
many failed login attempts." answered by a bare "Too Many Requests"). Such a keyword argument of a call on an
unconverted extension's name becomes ``flask_answers(cb)`` (``_flask_compat/flask_responses.py``): the callback's
Starlette response handed over as Flask's, which the helper's Werkzeug error handler answers with.
"""

from __future__ import annotations

import libcst as cst

ANSWERING = {"on_breach"}  # keywords whose callback's return value is the response the extension answers with
HELPER = "flask_answers"


def rewrite(module: cst.Module, names: set[str], needs: set[str]) -> cst.Module:
    """``x.limit(..., on_breach=cb)`` -> ``on_breach=flask_answers(cb)`` where ``x`` is one of ``names`` (the
    extension's names in the module); ``needs`` gets the helper's name when one is written."""
    if not names or not any(f"{keyword}=" in module.code for keyword in ANSWERING):
        return module
    wrapping = _Wrapping(names)
    rewritten = module.visit(wrapping)
    if wrapping.done:
        needs.add(HELPER)
    return rewritten


def _root(node: cst.BaseExpression) -> str | None:
    node = node.func if isinstance(node, cst.Call) else node
    while isinstance(node, (cst.Attribute, cst.Call)):
        node = node.value if isinstance(node, cst.Attribute) else node.func
    return node.value if isinstance(node, cst.Name) else None


def _none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _wrapped(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == HELPER


class _Wrapping(cst.CSTTransformer):
    def __init__(self, names: set[str]):
        self.names, self.done = names, False

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if _root(updated.func) not in self.names:
            return updated
        args = []
        for a in updated.args:
            if a.keyword is not None and a.keyword.value in ANSWERING and not _wrapped(a.value) and not _none(a.value):
                a = a.with_changes(value=cst.Call(cst.Name(HELPER), [cst.Arg(a.value)]))
                self.done = True
            args.append(a)
        return updated.with_changes(args=args)
