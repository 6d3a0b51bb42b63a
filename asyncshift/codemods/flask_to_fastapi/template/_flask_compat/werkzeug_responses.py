"""Werkzeug's names on Starlette's responses: ``response.data``, ``get_data()``, ``set_data()``, ``mimetype``, and
``response.headers.set()``/``add()``/``remove()``/``get_all()``/``extend()``.

Code around the views handles responses as Werkzeug's: an ``after_request`` hook or a view decorator reads
``response.data`` and sets it (compresses it, adds a newline) or checks ``response.mimetype`` (or sets it). Starlette's
``Response`` keeps its bytes in ``body``: these read and write there, with ``content-length`` kept right. They are
set on Starlette's class when the helper package is imported, and only where Starlette has no such name.
End state: ``response.body`` and the ``content-type`` header.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response


def _get_data(self: Any, as_text: bool = False) -> Any:
    return self.body.decode(self.charset) if as_text else self.body


def _set_data(self: Any, value: Any) -> None:
    self.body = value.encode(self.charset) if isinstance(value, str) else bytes(value)
    self.headers["content-length"] = str(len(self.body))


def _mimetype(self: Any) -> str | None:
    value = self.headers.get("content-type")
    return value.split(";")[0].strip() if value else None


# Werkzeug's get_content_type: a text type (and these) gets the response's charset when set as the mimetype
CHARSET_TYPES = {"application/ecmascript", "application/javascript", "application/sql", "application/xml"}
CHARSET_TYPES |= {"application/xml-dtd", "application/xml-external-parsed-entity"}


def _set_mimetype(self: Any, value: str) -> None:
    """``response.mimetype = "text/plain"``: the content type, with the charset where Werkzeug adds it."""
    charset = (
        value.startswith("text/")
        or value in CHARSET_TYPES
        or value.startswith("application/")
        and value.endswith("+xml")
    )
    self.headers["content-type"] = f"{value}; charset={self.charset}" if charset else value


def _content_type(self: Any) -> str | None:
    return self.headers.get("content-type")


def _set_content_type(self: Any, value: str) -> None:
    self.headers["content-type"] = value


WERKZEUG_NAMES = {
    "data": property(_get_data, _set_data),
    "get_data": _get_data,
    "set_data": _set_data,
    "mimetype": property(_mimetype, _set_mimetype),
    "content_type": property(_content_type, _set_content_type),
}


def _set(self: Any, key: str, value: Any) -> None:
    self[key] = str(value)


def _add(self: Any, key: str, value: Any) -> None:
    self.append(key, str(value))


def _remove(self: Any, key: str) -> None:
    if key in self:
        del self[key]


def _extend(self: Any, *others: Any, **values: Any) -> None:
    """``headers.extend({"X-A": "1"})``: each item of a dict (a list value: each), pairs or headers, added."""
    if len(others) > 1:
        raise TypeError(f"extend expected at most 1 argument, got {len(others)}")
    for other in (*others, values):
        for key, value in other.items() if hasattr(other, "items") else other:
            for one in value if isinstance(value, (list, tuple)) else [value]:
                self.append(key, str(one))


# Werkzeug's Headers methods on a response's headers (``response.headers.set("Cache-Control", "no-store")``)
HEADER_NAMES = {"set": _set, "add": _add, "remove": _remove, "get_all": Headers.getlist, "extend": _extend}


def install() -> None:
    for name, value in WERKZEUG_NAMES.items():
        if not hasattr(Response, name):
            setattr(Response, name, value)
    for name, value in HEADER_NAMES.items():
        if not hasattr(MutableHeaders, name):
            setattr(MutableHeaders, name, value)


install()
