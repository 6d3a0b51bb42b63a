"""A view's ``request.get_json()``/``request.json`` read as Flask read it, from the ``Body()`` parameter FastAPI filled.

FastAPI gives None for an empty body and the bytes of a body not sent as JSON (a form); Flask answered 400 (415
without JSON's content type), parsed it with ``force=True``, or gave None with ``silent=True``. The helper's
``flask_json(request, payload, ...)`` does what Flask did, at the place the view read it (a read in a branch or a
``try`` still decides there). A silent read takes the body through ``read_json``, which refuses nothing: FastAPI's
``Body()`` answers a JSON body that does not parse with 400 before the view, where the silent read gave None.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.flask_to_fastapi.nodes import code


def as_flask(node: cst.BaseExpression, request: str, payload: str) -> cst.Call:
    """``flask_json(request, payload, force=True)`` for the read ``node``, with the read's own arguments."""
    args = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in node.args] if isinstance(node, cst.Call) else []
    return cst.Call(cst.Name("flask_json"), [cst.Arg(cst.Name(request)), cst.Arg(cst.Name(payload)), *args])


def lenient(node: cst.BaseExpression, params: list[Any]) -> bool:
    """The view's JSON goes through ``read_json``: this read is ``get_json(silent=True)`` and no ``Body()`` parameter
    was planned for an earlier read, or an earlier read planned ``read_json`` already."""
    if any(p.key == "read_json" for p in params):
        return True
    args = [a for a in node.args if not a.star] if isinstance(node, cst.Call) else []
    silent = [a.value for i, a in enumerate(args) if (a.keyword.value if a.keyword else i) in ("silent", 1)]
    return bool(silent) and code(silent[0]) == "True" and not any(p.source == "body" for p in params)
