"""Every error of the FastAPI stack as the shared shape: JSON under ``/api``, a page elsewhere.

Twin of ``admin_assistant.sync.web.errors``. FastAPI's own answers are brought in line with
Flask's: malformed JSON is a 400 (not a 422), and so is JSON nested too deeply for the parser;
a path parameter that does not parse is a 404 (as Flask's ``<int:...>`` converter answers); an
unexpected error is logged with an error id by ``CatchAll`` (a plain ASGI middleware, so the
exception never reaches the server's log as a trace and the client gets the id).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from admin_assistant.aio.web.bodies import json_response
from admin_assistant.domain.errors import DomainError
from admin_assistant.domain.schemas import ErrorOut
from admin_assistant.presentation.webcommon import (
    ERROR_CODES,
    NO_STORE,
    WebError,
    error_body,
    error_for,
    internal_error,
    is_json_syntax_error,
    malformed_json,
    render,
    validation_message,
)

BODY_PARSE_ERROR = "There was an error parsing the body"  # FastAPI's 400 when its body parser raises
ROUTING_MESSAGES = {404: "no such resource", 405: "method not allowed on this resource"}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (400, "Malformed request (e.g. JSON that does not parse)"),
        (401, "Not signed in, or an unknown token"),
        (403, "Missing or wrong CSRF token"),
        (404, "No such resource, or not yours"),
        (409, "Conflicts with an existing resource"),
        (422, "The request does not validate"),
    )
}


def register(app: FastAPI) -> None:
    app.add_exception_handler(WebError, _known)
    app.add_exception_handler(DomainError, _known)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _routing)
    app.add_middleware(CatchAll)


async def _known(request: Request, exc: Exception) -> Response:
    known = error_for(exc)
    assert known is not None
    return respond(request.url.path, error_body(known.status, known.code, known.message))


async def _validation(request: Request, exc: Exception) -> Response:
    errors = exc.errors()  # type: ignore[attr-defined]
    if is_json_syntax_error(errors):
        known = malformed_json()
        return respond(request.url.path, error_body(known.status, known.code, known.message))
    if any(error.get("loc", ("",))[0] == "path" for error in errors):
        return respond(request.url.path, error_body(404, ERROR_CODES[404], ROUTING_MESSAGES[404]))
    return respond(request.url.path, error_body(422, ERROR_CODES[422], validation_message(errors)))


async def _routing(request: Request, exc: Exception) -> Response:
    status = exc.status_code  # type: ignore[attr-defined]
    if status == 400 and exc.detail == BODY_PARSE_ERROR and "json" in request.headers.get("content-type", ""):  # type: ignore[attr-defined]
        known = malformed_json()  # JSON that json.loads refused with more than a syntax error: nested too deeply
        return respond(request.url.path, error_body(known.status, known.code, known.message))
    message = ROUTING_MESSAGES.get(status, str(exc.detail))  # type: ignore[attr-defined]
    return respond(request.url.path, error_body(status, ERROR_CODES.get(status, "error"), message))


def respond(path: str, body: dict) -> Response:
    detail = body["error"]
    if path.startswith("/api/") or path == "/api":
        return json_response(body, detail["status"])
    html = render(
        "error.html",
        status=detail["status"],
        message=detail["message"],
        error_id=detail["id"],
        user=None,
        csrf_token=None,
    )
    return Response(html, status_code=detail["status"], media_type="text/html", headers=dict([NO_STORE]))


class CatchAll:
    """Turns an unexpected exception into a 500 with an error id, logged with its trace."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            if started:
                raise
            body = internal_error(exc, f"{scope.get('method')} {scope.get('path')}")
            response = respond(scope.get("path", ""), body)
            await response(scope, receive, send)
