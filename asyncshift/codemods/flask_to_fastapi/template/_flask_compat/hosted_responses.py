"""A Starlette response a hosted Resource returns, answered as the Werkzeug response it stands for.

A module that builds a blueprint and its REST ``Api`` is converted, and so are the Resources in it (or the decorator
wrapping them): ``make_response(jsonify(...), 200)`` and ``return make_response(data, 400)`` became the helpers',
which give a Starlette response. The Resources still run on Flask (``flask_hosted``), where Flask-RESTful's
``Api.make_response`` serialised that response as data (``Object of type JSONResponse is not JSON serializable``:
every such answer a 500). The host's Api now answers it as Werkzeug's, with its body, status and headers.
End state: each Resource method a FastAPI route.
"""

from __future__ import annotations

from typing import Any


def werkzeug_response(data: Any) -> Any:
    """A Werkzeug response for a Starlette one with its body read (not a stream); None for anything else."""
    try:
        from starlette.responses import Response
    except ImportError:
        return None
    if not isinstance(data, Response) or not isinstance(getattr(data, "body", None), bytes):
        return None
    import flask

    headers = [
        (k.decode("latin-1"), v.decode("latin-1")) for k, v in data.raw_headers if k.lower() != b"content-length"
    ]
    return flask.Response(data.body, status=data.status_code, headers=headers)
