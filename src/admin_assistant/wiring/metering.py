"""Each web request, on either stack, is one caller's request for the application's ``ServedMeter``.

The meter (``compat.control.meter``) counts the new path's failures that auto-rollback judges at
``async``. Every request marks the calls made for it with the client's address, and settles them
with the status it answered: a request that ended as a client error (4xx) was bad input, not the
new path's fault. The strangler does it for the requests the FastAPI app serves, in its own frame
(``Strangler(meter=...)``); the Flask app (WSGI) is wrapped here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from compat.control.meter import ServedMeter


def metered_wsgi(meter: ServedMeter, app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """WSGI middleware marking and settling each request's calls (``flask_app.wsgi_app = metered_wsgi(...)``)."""

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


def meter_requests(meter: ServedMeter | None, flask_app: Any) -> None:
    """Wrap the Flask app (before the server starts); nothing to do without a meter."""
    if meter is None:
        return
    flask_app.wsgi_app = metered_wsgi(meter, flask_app.wsgi_app)
