"""Flask's ``app.request_class`` as apps configure it: Werkzeug's form limits set on the class
(``app.request_class.max_form_memory_size = ...`` in a factory, before any request).

A limit left unset (None) keeps Starlette's own; one the app sets is what the face's form reads pass to Starlette:
``max_form_memory_size`` (the largest non-file field, in bytes) as ``max_part_size``, ``max_form_parts`` as
``max_fields`` and ``max_files``. End state: the limits given to ``request.form()`` where the app reads forms.
"""

from __future__ import annotations

import inspect
from typing import Any

from starlette.requests import Request

_TAKEN = set(inspect.signature(Request.form).parameters)  # max_part_size since Starlette 0.40


class RequestClass:
    """What ``app.request_class`` is on the face: the form limits an app may set (its class, as Flask's)."""

    max_form_memory_size: int | None = None
    max_form_parts: int | None = None


def form_limits(request: Any) -> dict:
    """The keyword arguments of ``request.form()`` for the limits the request's app set."""
    limits = getattr(request.scope.get("app"), "request_class", None)
    memory = getattr(limits, "max_form_memory_size", None)
    parts = getattr(limits, "max_form_parts", None)
    given = {"max_part_size": memory} if memory is not None else {}
    if parts is not None:
        given.update(max_fields=parts, max_files=parts)
    return {name: value for name, value in given.items() if name in _TAKEN}
