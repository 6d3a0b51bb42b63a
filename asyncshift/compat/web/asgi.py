"""ASGI types, and the small message helpers the strangler composes around an app's call.

Each helper is a ``receive`` or a ``send`` wrapped once, so the strangler's request path stays a
plain call of the serving app.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def read_request(receive: Receive) -> list[Message]:
    """The request's messages up to the end of its body, so it can be sent twice."""
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


def replayer(messages: list[Message]) -> Receive:
    """A ``receive`` that hands out ``messages`` (an empty body if none), then waits like a
    client that stays connected until the response is done."""
    queue = list(messages) or [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    return receive


def tagging(send: Send, tag: tuple[bytes, bytes]) -> Send:
    """A ``send`` that adds the header ``tag`` to the response's start."""

    async def tagged(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", ()), tag]
        await send(message)

    return tagged


async def internal_error(exc: BaseException, scope: Scope, send: Send) -> None:
    """A side raised before answering: log it with an id, answer 500 without the trace."""
    error_id = uuid.uuid4().hex[:16]
    log.error("unexpected error %s in %s %s", error_id, scope.get("method"), scope.get("path"), exc_info=exc)
    body = json.dumps(
        {
            "error": {
                "status": 500,
                "code": "internal_error",
                "message": f"internal error; quote id {error_id}",
                "id": error_id,
            }
        }
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})
