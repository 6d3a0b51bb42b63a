"""JSON in and out on the Flask stack, through the shared Pydantic models and encoder.

Twin of ``admin_assistant.aio.web.bodies``: the same models, the same bytes, the same errors
(malformed JSON is a 400, a body or query that does not validate a 422).
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from flask import Response, request
from pydantic import BaseModel, ValidationError

from admin_assistant.presentation.webcommon import NO_STORE, WebError, json_bytes, malformed_json, validation_message

M = TypeVar("M", bound=BaseModel)


def json_response(data: Any, status: int = 200) -> Response:
    """``data`` as JSON (``bytes``: a body already encoded, by ``schemas.page_json``/``dump_json``)."""
    body = data if isinstance(data, bytes) else json_bytes(data)
    response = Response(body, status=status, mimetype="application/json")
    response.headers[NO_STORE[0]] = NO_STORE[1]
    return response


def no_content() -> Response:
    response = Response(status=204)
    response.headers[NO_STORE[0]] = NO_STORE[1]
    return response


def read_body(model: type[M]) -> M:
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise WebError(422, "Field required")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply (aio.web.errors says the same)
        raise malformed_json() from None
    return validated(model, data)


def read_query(model: type[M]) -> M:
    return validated(model, request.args.to_dict())


def validated(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise WebError(422, validation_message(exc.errors(include_url=False))) from None
