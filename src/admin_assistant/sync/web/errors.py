"""Every error of the Flask stack as the shared shape: JSON under ``/api``, a page elsewhere.

Twin of ``admin_assistant.aio.web.errors``. A domain error keeps its status (404, 409, 422); an
unexpected one is logged with an error id and answered 500 with that id and nothing else.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from admin_assistant.presentation.webcommon import (
    ERROR_CODES,
    NO_STORE,
    error_body,
    error_for,
    internal_error,
    render,
)
from admin_assistant.sync.web.bodies import json_response

ROUTING_MESSAGES = {404: "no such resource", 405: "method not allowed on this resource"}


def register(app: Flask) -> None:
    app.register_error_handler(Exception, handle)


def handle(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        body = error_body(status, ERROR_CODES.get(status, "error"), ROUTING_MESSAGES.get(status, exc.description or ""))
    else:
        known = error_for(exc)
        if known is None:
            body = internal_error(exc, f"{request.method} {request.path}")
        else:
            body = error_body(known.status, known.code, known.message)
    return respond(body)


def respond(body: dict) -> Response:
    detail = body["error"]
    if request.path.startswith("/api/") or request.path == "/api":
        return json_response(body, detail["status"])
    html = render(
        "error.html",
        status=detail["status"],
        message=detail["message"],
        error_id=detail["id"],
        user=None,
        csrf_token=None,
    )
    response = Response(html, status=detail["status"], mimetype="text/html")
    response.headers[NO_STORE[0]] = NO_STORE[1]
    return response
