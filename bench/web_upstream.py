"""The upstream HTTP service the web benchmarks' route calls, and the route's two clients of it.

A real HTTP server in its own process on loopback, answering after 50 ms, rather than a sleep in
the handler: the stacks then pay for a real outgoing call, each with the client it would hold
(``http.client`` per thread on the Flask side, a pool of asyncio streams on the FastAPI side).
"""

import asyncio
import json

HOST = "127.0.0.1"
UPSTREAM_DELAY = 0.050


async def upstream_server(port: int) -> None:
    """A keep-alive HTTP server that answers every request after 50 ms."""
    body = json.dumps({"rate": 1.0, "source": "upstream"}).encode()
    reply = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = content_length(head)
                if length:
                    await reader.readexactly(length)
                await asyncio.sleep(UPSTREAM_DELAY)
                writer.write(reply)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, HOST, port, backlog=4096)
    async with server:
        await server.serve_forever()


def content_length(head: bytes) -> int:
    """The ``content-length`` of an HTTP/1.1 head, 0 without one (shared with the load generator)."""
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


class SyncUpstream:
    """A keep-alive HTTP/1.1 client per thread (``http.client``): what a Flask app would hold."""

    def __init__(self, url: str) -> None:
        import threading
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path or "/"
        self.local = threading.local()

    def get_json(self) -> dict:
        import http.client

        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request("GET", self.path)
            return json.loads(conn.getresponse().read())
        except (OSError, http.client.HTTPException):
            self.local.conn = None
            conn.close()
            raise


class AsyncUpstream:
    """A pool of keep-alive HTTP/1.1 connections on asyncio streams: the async twin of ``SyncUpstream``.

    (httpx's ``AsyncClient`` was the first choice; with hundreds of concurrent requests its pool
    costs more CPU than everything else in the request, which measures httpx, not the stack.)
    """

    def __init__(self, url: str) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.request = f"GET {parts.path or '/'} HTTP/1.1\r\nhost: {self.host}:{self.port}\r\n\r\n".encode()
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def get_json(self) -> dict:
        reader, writer = self.idle.pop() if self.idle else await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(self.request)
            head = await reader.readuntil(b"\r\n\r\n")
            body = await reader.readexactly(content_length(head))
        except BaseException:
            writer.close()
            raise
        self.idle.append((reader, writer))
        return json.loads(body)
