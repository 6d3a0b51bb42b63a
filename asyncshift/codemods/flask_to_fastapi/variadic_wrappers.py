"""A view under a decorator of the project's own that takes the rule's URL value and hands the view another one::

    def to_event_id(func):
        @wraps(func)
        def wrapper(*args, **kwargs):
            kwargs["event_id"] = lookup(kwargs.pop("event_identifier"))
            return func(*args, **kwargs)
        return wrapper

    @bp.route("/events/<event_identifier>/search")
    @to_event_id
    def search(event_id): ...

Flask called the wrapper with the URL's values. FastAPI reads an endpoint's parameters from ``inspect.signature``,
which follows ``__wrapped__`` to the view: ``event_id`` became a required query parameter and the path's
``event_identifier`` was never read (every request answered 400). Where a rule's path parameter is not one of the
view's, the decorators below the route get ``@url_values({...path parameters...}, given=(...))`` right under it: a
variadic wrapper is routed with the rule's parameters, not those the decorator hands the view.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import decorators
from codemods.flask_to_fastapi.conversion import Conversion, Scope


def mark(tr: Conversion, scope: Scope, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
    """``updated`` with ``@url_values`` under its route decorators, when a decorator of its own hands it values in
    place of the rule's path parameters; else as it is."""
    if tr.class_stack or original.params.star_kwarg is not None or not scope.path_params:
        return updated
    own = [p.name.value for p in (*original.params.params, *original.params.kwonly_params)]
    path = {p.name: p for p in scope.path_params}
    if all(name in own for name in path):
        return updated
    listed = list(updated.decorators)
    routes = 0
    while routes < len(listed) and decorators.is_flask_decorator(tr, listed[routes]):
        routes += 1
    if routes == 0 or routes == len(listed):
        return updated  # no route on top, or nothing of the project's between it and the view
    for p in path.values():
        tr.needs.update(p.uses)
    values = ", ".join(f'"{name}": {p.annotation}' for name, p in path.items())
    handed = [f'"{name}"' for name in own if name not in path]
    given = ", ".join(handed) + ("," if len(handed) == 1 else "")
    marker = cst.Decorator(cst.parse_expression(f"url_values({{{values}}}, given=({given}))"))
    tr.needs.add("url_values")
    return updated.with_changes(decorators=[*listed[:routes], marker, *listed[routes:]])
