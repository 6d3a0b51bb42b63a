"""Each web request, on either stack, is one caller's request for the application's ``ServedMeter``.

The meter (``compat.control.meter``) counts the new path's failures that auto-rollback judges at
``async``. Wrapped here around the FastAPI app (ASGI) and the Flask app (WSGI), every request
marks the calls made for it with the client's address, and settles them with the status it
answered: a request that ended as a client error (4xx) was bad input, not the new path's fault.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from compat.control.meter import ServedMeter


class MeteredRequests:
    """ASGI middleware: the calls made for an HTTP request belong to it, settled by its status."""

    def __init__(self, app: Any, meter: ServedMeter) -> None:
        self.app = app
        self.meter = meter

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        status = 500  # an exception that escapes, or no answer at all: a server error

        async def send_status(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        with self.meter.request(client[0] if client else "") as mark:
            try:
                await self.app(scope, receive, send_status)
            finally:
                self.meter.settle(mark, status)


def metered_wsgi(meter: ServedMeter, app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """WSGI middleware: the same, for the Flask app (``flask_app.wsgi_app = metered_wsgi(...)``)."""

    def wrapped(environ: dict, start_response: Callable) -> Iterable[bytes]:
        status = 500

        def start(status_line: str, headers: list, exc_info: Any = None) -> Any:
            nonlocal status
            status = int(status_line.split(" ", 1)[0])
            return start_response(status_line, headers, exc_info) if exc_info else start_response(status_line, headers)

        with meter.request(environ.get("REMOTE_ADDR") or "") as mark:
            try:
                return app(environ, start)
            finally:
                meter.settle(mark, status)

    return wrapped


def meter_requests(meter: ServedMeter | None, flask_app: Any, fastapi_app: Any) -> None:
    """Wrap both apps (before the server starts); nothing to do without a meter."""
    if meter is None:
        return
    flask_app.wsgi_app = metered_wsgi(meter, flask_app.wsgi_app)
    fastapi_app.add_middleware(MeteredRequests, meter=meter)
