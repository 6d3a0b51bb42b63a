"""A Werkzeug (Flask) ``Response`` an extension answers with, as a Starlette response, and the other way round.

Extensions that keep running on the app's Flask-shaped face register error handlers that return their own
``flask.jsonify(...)`` (Flask-JWT-Extended's 401 for a missing token, Flask-Limiter's 429): the same status,
headers (each ``Set-Cookie`` kept) and body. What the app hands such an extension (a handler's answer, a callback's
``make_response(...)``) goes to Flask as Flask's response: a callback the app hands such an extension to answer
with (Flask-Limiter's ``on_breach``) is ``flask_answers(callback)``, as the extension keeps what it returns only
when it is Flask's ``Response``. End state: the extension's FastAPI counterpart.
"""

from __future__ import annotations

import functools
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


FLASK_RESPONSE = "asyncshift_flask_response"  # a view decorator's Werkzeug response, kept on its Starlette twin


def flask_own(answer: Any) -> Any:
    """The Werkzeug response a view decorator's wrapper returned (``view_value``'s twin of it, a Starlette response
    too) as it was: the Flask app hosting a Resource called the twin as Starlette's ASGI app, a 500."""
    return vars(answer).get(FLASK_RESPONSE, answer) if hasattr(answer, "__dict__") else answer


def as_flask(answer: Any) -> Any:
    """A Starlette response as Flask's (status, headers, body); anything else (a stream, whose body is not read) is
    Flask's to make a response of."""
    if not isinstance(answer, Response) or not isinstance(getattr(answer, "body", None), bytes):
        return answer
    import flask

    response = flask.Response(answer.body, status=answer.status_code)
    response.headers.clear()
    for key, value in answer.raw_headers:
        response.headers.add(key.decode("latin-1"), value.decode("latin-1"))
    return response


def flask_answers(callback: Any) -> Any:
    """``callback`` giving Flask's response where it gives Starlette's; anything not callable as it is."""
    if not callable(callback):
        return callback

    @functools.wraps(callback)
    def answer(*args: Any, **kwargs: Any) -> Any:
        return as_flask(callback(*args, **kwargs))

    return answer
