"""``WSGIRunner``: the legacy WSGI app served from an ASGI server with one thread handoff per request.

a2wsgi's ``WSGIMiddleware`` hands every message across (the request body, the response start, each
body chunk, the end): the WSGI thread blocks on a loop round trip for each, and that handoff was the
largest cost of the legacy path behind the strangler (issue 18). Here a request whose body has a
known, bounded length is read on the loop first; the WSGI app then runs to the end in one pool
thread, its answer (status, headers, body) comes back with the thread's result, and the loop sends
it in two messages. Only what cannot be held whole crosses per message, as before: a request body
of unknown or large length (read on demand, a2wsgi's ``Body``), and a response without a
``Content-Length`` or over ``buffer_limit`` (a stream: each chunk is sent as the app yields it, so a
slow generator's first bytes are not held back).
"""

from __future__ import annotations

import asyncio
import contextvars
import io
from collections.abc import Callable, Iterable
from typing import Any

from a2wsgi.wsgi import Body, build_environ

from compat.bridge import Handoff, ThreadPool
from compat.web.asgi import Message, Receive, Scope, Send

WSGIApp = Callable[..., Iterable[bytes]]

BODY_LIMIT = 1 << 20  # a request body up to this is read whole on the loop before the app runs
BUFFER_LIMIT = 1 << 20  # a response with a Content-Length up to this comes back whole


class WSGIRunner:
    """An ASGI app running ``app`` (WSGI) on a pool of ``workers`` threads."""

    def __init__(
        self, app: WSGIApp, workers: int = 32, *, body_limit: int = BODY_LIMIT, buffer_limit: int = BUFFER_LIMIT
    ) -> None:
        self.app = app
        self.body_limit = body_limit
        self.buffer_limit = buffer_limit
        self.workers = workers
        self.pool = ThreadPool(workers, name="WSGI")

    def close(self) -> None:
        """Let the pool's threads end (requests in progress finish), and have a fresh pool for
        the next lifespan: a server (or a test) that starts the same app again serves at once."""
        self.pool.close()
        self.pool = ThreadPool(self.workers, name="WSGI")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await _lifespan(receive, send)
            return
        if kind != "http":  # a WSGI app has no websockets
            await send({"type": "websocket.close", "code": 1000})
            return
        loop = asyncio.get_running_loop()
        body = await self._body(scope, receive, loop)
        environ = build_environ(scope, body)  # type: ignore[arg-type]
        exchange = _Exchange(loop, send, self.buffer_limit)
        whole = await self.pool.run(loop, contextvars.copy_context().run, exchange.run, self.app, environ)
        if whole is not None:
            start, content = whole
            await send(start)
            await send({"type": "http.response.body", "body": content, "more_body": False})

    async def _body(self, scope: Scope, receive: Receive, loop: asyncio.AbstractEventLoop) -> Any:
        """The request body: read whole here when its length is known and small, else read on demand."""
        length = _content_length(scope)
        if length == 0:
            return io.BytesIO(b"")
        if length is None or length > self.body_limit:
            return Body(loop, receive)  # type: ignore[arg-type]
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: the app reads what came
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return io.BytesIO(b"".join(chunks))


def _content_length(scope: Scope) -> int | None:
    """0 for a request with no body, its length when given, None when chunked or unreadable."""
    length = None
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return None
        elif name == b"transfer-encoding":
            return None
    return 0 if length is None else length


class _Exchange:
    """One request's run in a pool thread: holds the answer whole, or streams it when it must."""

    def __init__(self, loop: asyncio.AbstractEventLoop, send: Send, buffer_limit: int) -> None:
        self.loop = loop
        self.send = send
        self.buffer_limit = buffer_limit
        self.start: Message | None = None
        self.length: int | None = None
        self.streaming = False
        self.written: list[bytes] = []  # what the legacy ``write`` callable was given

    def start_response(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
        if exc_info is not None and self.streaming:  # the headers have gone: PEP 3333 says re-raise
            raise exc_info[1].with_traceback(exc_info[2])
        code = int(status.split(" ", 1)[0])
        encoded = [(name.strip().lower().encode("latin-1"), value.strip().encode("latin-1")) for name, value in headers]
        self.length = None
        for name, value in encoded:
            if name == b"content-length" and value.isdigit():
                self.length = int(value)
        self.start = {"type": "http.response.start", "status": code, "headers": encoded}
        return self._write

    def _write(self, data: bytes) -> None:
        """PEP 3333's legacy ``write``: held with the body, or sent at once on a stream."""
        if self.streaming:
            self._post({"type": "http.response.body", "body": data, "more_body": True})
        else:
            self.written.append(data)

    def run(self, app: WSGIApp, environ: dict) -> tuple[Message, bytes] | None:
        """Run ``app``; return (start, body) when held whole, None when it was streamed."""
        iterable = app(environ, self.start_response)
        try:
            chunks = self.written
            for chunk in iterable:
                if self.streaming:
                    self._post({"type": "http.response.body", "body": chunk, "more_body": True})
                    continue
                chunks.append(chunk)
                if self.length is None or self.length > self.buffer_limit:
                    self._begin_stream(chunks)
            if self.start is None:
                raise RuntimeError("the WSGI app returned without calling start_response")
            if not self.streaming:
                return self.start, b"".join(chunks)
            self._post({"type": "http.response.body", "body": b"", "more_body": False})
            return None
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()

    def _begin_stream(self, held: list[bytes]) -> None:
        """Send the start and what is held, and every later chunk as it comes."""
        assert self.start is not None
        self.streaming = True
        self._post(self.start)
        if held:
            self._post({"type": "http.response.body", "body": b"".join(held), "more_body": True})
        held.clear()

    def _post(self, message: Message) -> None:
        """Send one message from this thread, waiting for the loop (the client's pace is the app's)."""
        Handoff(self.loop, self.send(message)).wait()


async def _lifespan(receive: Receive, send: Send) -> None:
    """A WSGI app has no lifespan of its own: agree to start and to stop."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
