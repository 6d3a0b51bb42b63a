"""Werkzeug's ways of setting a response's headers, on Starlette's responses.

Werkzeug takes ``response.headers = {...}`` (the response's headers replaced: a helper building an error answer) and
header values that are not text (``headers["Location"] = url.encode("utf-8")``, ``headers["X-Count"] = 3``): bytes
are read as latin-1 (by ``str()`` since Werkzeug 2.3), anything else by ``str()``. Starlette's ``headers`` is
read-only (AttributeError: can't set attribute) and its values must be ``str`` (AttributeError: 'bytes' object has
no attribute 'encode'). These are set on Starlette's classes when the helper package is imported.
End state: ``response.headers[...] = str``.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.responses import Response

from .versions import installed_version


def header_text(value: Any) -> str:
    """A header value as the installed Werkzeug wrote it: text as it is, bytes as latin-1 before 2.3 (since,
    ``str()`` of them, as of anything else)."""
    if isinstance(value, str):
        return value
    werkzeug = installed_version("werkzeug")
    if isinstance(value, (bytes, bytearray)) and (werkzeug is None or werkzeug < (2, 3)):
        return bytes(value).decode("latin-1")
    return str(value)


def _set_headers(self: Any, value: Any) -> None:
    """``response.headers = mapping``: the response's headers are the mapping's (no content type either), and the
    body's length unless the mapping names one (Werkzeug counted the body when it sent it)."""
    items = list(value.items()) if hasattr(value, "items") else list(value)
    raw = [(str(k).lower().encode("latin-1"), header_text(v).encode("latin-1")) for k, v in items]
    if b"content-length" not in {k for k, _ in raw}:
        raw += [(k, v) for k, v in self.raw_headers if k == b"content-length"]
    self.raw_headers = raw
    self.__dict__.pop("_headers", None)


def _text_values(method: Any) -> Any:
    def with_text(self: Any, key: str, value: Any) -> Any:
        return method(self, key, header_text(value))

    with_text.werkzeug_values = True
    return with_text


def install() -> None:
    headers = Response.__dict__.get("headers")
    if isinstance(headers, property) and headers.fset is None:
        Response.headers = property(headers.fget, _set_headers, doc=headers.__doc__)
    for name in ("__setitem__", "append", "setdefault"):
        method = getattr(MutableHeaders, name, None)
        if method is not None and not getattr(method, "werkzeug_values", False):
            setattr(MutableHeaders, name, _text_values(method))


install()
