"""A response's header names listed (``response.headers.keys()``, ``.items()``) get a TODO at the line.

Werkzeug kept each name as it was set (``Content-Type``, ``X-Animal``); Starlette keeps them lower-case
(``content-type``), so JSON or logic built from the listed names sees other keys, and the case a name was set with
cannot be told afterwards. The request's headers are handled apart (``request_outside_views.listed_headers``).
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi.conversion import Conversion

LISTING = ("keys", "items", "iterkeys", "iteritems", "to_wsgi_list")
TODO = (
    "a response's header names are lower-case on Starlette (Werkzeug kept the case they were set with): "
    "compare them case-insensitively"
)


def flag(tr: Conversion, original: cst.Call) -> None:
    """``<response>.headers.keys()`` on a local object that is not the request: a TODO for the statement."""
    func = original.func
    if not (
        isinstance(func, cst.Attribute)
        and func.attr.value in LISTING
        and isinstance(func.value, cst.Attribute)
        and func.value.attr.value == "headers"
        and isinstance(func.value.value, cst.Name)
    ):
        return
    owner = func.value.value
    scope = tr.scopes[-1] if tr.scopes else None
    if scope is None or tr.names.resolve(owner) is not None or owner.value in (scope.request, "request", "req"):
        return  # module level, a name imported (flask.request, a client module), or the request itself
    tr.todo(TODO)
