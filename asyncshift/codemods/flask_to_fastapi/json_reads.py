"""A view's ``request.get_json()``/``request.json`` read as Flask read it, from the ``Body()`` parameter FastAPI filled.

FastAPI gives None for an empty body and the bytes of a body not sent as JSON; Flask answered 400 (415 without
JSON's content type) or, with ``force=True``, parsed it. The helper's ``flask_json(request, payload, ...)`` does
what Flask did, at the place the view read it (a read in a branch or a ``try`` still decides there).
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi.nodes import code


def as_flask(node: cst.BaseExpression, request: str, payload: str) -> cst.Call | None:
    """``flask_json(request, payload, force=True)`` for the read ``node``; None for ``get_json(silent=True)``
    (None for an empty body, as FastAPI gives it; a body that does not parse was answered 400 before the view)."""
    args = [a for a in node.args if not a.star] if isinstance(node, cst.Call) else []
    silent = [a.value for i, a in enumerate(args) if (a.keyword.value if a.keyword else i) in ("silent", 1)]
    if silent and code(silent[0]) == "True":
        return None
    rest = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in args]
    return cst.Call(cst.Name("flask_json"), [cst.Arg(cst.Name(request)), cst.Arg(cst.Name(payload)), *rest])
