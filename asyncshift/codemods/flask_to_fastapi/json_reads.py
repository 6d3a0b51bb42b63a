"""A view's ``request.get_json()``/``request.json`` read as Flask read it, from the ``Body()`` parameter FastAPI filled.

FastAPI gives None for an empty body and the bytes of a body not sent as JSON (a form); Flask answered 400 (415
without JSON's content type), parsed it with ``force=True``, or gave None with ``silent=True``. The helper's
``flask_json(request, payload, ...)`` does what Flask did, at the place the view read it (a read in a branch or a
``try`` still decides there). Left: a JSON body that does not parse is answered 400 before the view, silent or not.
"""

from __future__ import annotations

import libcst as cst


def as_flask(node: cst.BaseExpression, request: str, payload: str) -> cst.Call:
    """``flask_json(request, payload, force=True)`` for the read ``node``, with the read's own arguments."""
    args = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in node.args] if isinstance(node, cst.Call) else []
    return cst.Call(cst.Name("flask_json"), [cst.Arg(cst.Name(request)), cst.Arg(cst.Name(payload)), *args])
