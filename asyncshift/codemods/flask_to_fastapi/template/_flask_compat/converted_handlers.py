"""An error handler of the app's, converted to Starlette's shape (``handle_error(request, error)``), that code left
unconverted registers the Flask way (``app.register_error_handler(Error, handle_error)`` in a test's fixture): it is
called as Starlette calls it, the request first. An extension's handler, Flask's shape (``handler(error)``), is handed
Werkzeug's error as Flask did (``face.register_error_handler``)."""

from __future__ import annotations

import inspect
from collections.abc import Callable

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def takes_request(fn: Callable) -> bool:
    """Two positional parameters or more, the first the request (by its name or its annotation)."""
    try:
        parameters = [p for p in inspect.signature(fn).parameters.values() if p.kind in _POSITIONAL]
    except (TypeError, ValueError):  # a builtin or a callable without a signature: Flask's shape
        return False
    if len(parameters) < 2:
        return False
    first = parameters[0]
    annotation = first.annotation if isinstance(first.annotation, str) else getattr(first.annotation, "__name__", "")
    return first.name == "request" or annotation.rsplit(".", 1)[-1] == "Request"
