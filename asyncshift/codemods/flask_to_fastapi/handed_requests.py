"""Flask's request handed on as a value: ``audit.send(..., request=request)``, ``HmacAuth.authenticate(request)``.

What receives it (a signal's receivers, a helper taking ``r``, a library) is not rewritten: it reads Werkzeug's
attributes on it (``r.endpoint``, ``r.args.to_dict()``, ``r.get_json(silent=True)``, ``r.data``, ``r.url`` as a
str), which the Starlette request (or the helper's proxy) lacks or answers otherwise: an AttributeError deep in
the app's code, answered as a 500 by its own handler, with no TODO where the request was handed. The argument
becomes ``handed_request(request)``, the helper's Werkzeug view of the request. Calls that take the Starlette
request are left: a function of the run that now takes the request first, or reads its own ``request`` parameter
under Starlette's names (``passing``), Flask's own calls (rewritten by ``calls``), and builtins that look at the
object itself (``isinstance``, ``type``, ``id``).
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi.nodes import arg, call

HELPER = "handed_request"
ITSELF = frozenset(("isinstance", "issubclass", "type", "id", "setattr", "delattr", "vars", "repr", "str", "print"))


def wrap(tr, original: cst.Call, updated: cst.Call) -> cst.Call:
    """``updated`` with each argument that is Flask's request itself handed as ``handed_request(request)``."""
    if len(original.args) != len(updated.args) or not any(_is_request(tr, a) for a in original.args):
        return updated
    func = original.func
    if isinstance(func, cst.Name) and func.value in ITSELF or tr.names.resolve(func) is not None:
        return updated
    if tr.resolver is not None:
        scope = tr.scopes[-1] if tr.scopes else None
        klass = tr.class_stack[-1] if tr.class_stack else None
        target = tr.resolver.call_target(func, klass, scope.types if scope else {}, scope.local if scope else None)
        if target in tr.needs_request or target in tr.takes_request:
            return updated  # converted to take the Starlette request, or to read its ``request`` as Starlette's
    if isinstance(func, cst.Name) and func.value in tr.request_views:
        return updated  # a view of the module, which takes the request first
    args = []
    for before, after in zip(original.args, updated.args, strict=True):
        if _is_request(tr, before):
            tr.needs.add(HELPER)
            after = after.with_changes(value=call(HELPER, arg(after.value)))
        args.append(after)
    return updated.with_changes(args=args)


def _is_request(tr, argument: cst.Arg) -> bool:
    value = argument.value
    return not argument.star and isinstance(value, cst.Name) and tr.names.resolve(value) == "flask.request"
