"""A Werkzeug (Flask) ``Response`` an extension answers with, as a Starlette response.

Extensions that keep running on the app's Flask-shaped face register error handlers that return their own
``flask.jsonify(...)`` (Flask-JWT-Extended's 401 for a missing token, Flask-Limiter's 429): the same status,
headers (each ``Set-Cookie`` kept) and body. End state: the extension's FastAPI counterpart.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response


def from_werkzeug(rv: Any) -> Response | None:
    """``rv`` as a Starlette ``Response`` when it is a Werkzeug one (``get_data``, ``status_code``, ``headers``)."""
    if isinstance(rv, Response) or not (
        callable(getattr(rv, "get_data", None)) and hasattr(rv, "status_code") and hasattr(rv, "headers")
    ):
        return None
    response = Response(rv.get_data(), status_code=rv.status_code)
    response.raw_headers = [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in rv.headers.items()]
    return response
