"""JSON out on the FastAPI stack: the shared encoder, so both stacks send the same bytes.

Twin of ``admin_assistant.sync.web.bodies``. Bodies and queries are read by FastAPI itself with
the shared Pydantic models; routes return ready responses (no second validation pass), and the
``response_model`` of each route documents them in OpenAPI.
"""

from __future__ import annotations

from typing import Any

from fastapi import Response

from admin_assistant.presentation.webcommon import NO_STORE, json_bytes


def json_response(data: Any, status: int = 200) -> Response:
    """``data`` as JSON (``bytes``: a body already encoded, by ``schemas.page_json``/``dump_json``)."""
    body = data if isinstance(data, bytes) else json_bytes(data)
    return Response(body, status_code=status, media_type="application/json", headers=dict([NO_STORE]))


def no_content() -> Response:
    return Response(status_code=204, headers=dict([NO_STORE]))
