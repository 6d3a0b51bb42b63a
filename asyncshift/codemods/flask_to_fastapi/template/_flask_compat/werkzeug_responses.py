"""Werkzeug's names on Starlette's responses: ``response.data``, ``get_data()``, ``set_data()``, ``mimetype``,
``status``, ``content_length``, ``content_encoding``, ``location``, and
``response.headers.set()``/``add()``/``remove()``/``get_all()``/``extend()``, and the set-valued headers ``vary``,
``allow`` and ``content_language``.

Code around the views handles responses as Werkzeug's: an ``after_request`` hook or a view decorator reads
``response.data`` and sets it (compresses it, adds a newline) or checks ``response.mimetype`` (or sets it). Starlette's
``Response`` keeps its bytes in ``body``: these read and write there, with ``content-length`` kept right. They are
set on Starlette's class when the helper package is imported, and only where Starlette has no such name.
End state: ``response.body`` and the ``content-type`` header.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response

from .werkzeug_errors import status_name


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


def _status(self: Any) -> str:
    """Werkzeug's ``response.status``: ``"404 NOT FOUND"``, its name for the code (``status_name``: 413 is "Request
    Entity Too Large", not Python's phrase), "UNKNOWN" for a code it has no name for."""
    known = self.status_code in HTTPStatus._value2member_map_
    return f"{self.status_code} {status_name(self.status_code).upper() if known else 'UNKNOWN'}"


def _set_status(self: Any, value: Any) -> None:
    self.status_code = int(value.split(None, 1)[0] if isinstance(value, str) else value)


def _header(name: str, kind: Any = str) -> property:
    """``response.content_length`` (an int, as Werkzeug's) and the like: the header read and set; None unsets it."""

    def get(self: Any) -> Any:
        value = self.headers.get(name)
        try:
            return None if value is None else kind(value)
        except ValueError:
            return None

    def set_(self: Any, value: Any) -> None:
        if value is None:
            if name in self.headers:
                del self.headers[name]
        else:
            self.headers[name] = str(value)

    return property(get, set_)


class HeaderSet:
    """Werkzeug's ``HeaderSet`` bound to one header of a response: an ``after_request`` hook's
    ``response.vary.add("Cookie")`` rewrites the ``Vary`` header, as Werkzeug's on_update does (no values: no header).
    Values compare without case, as Werkzeug's."""

    def __init__(self, headers: Any, name: str) -> None:
        self._headers, self._name = headers, name
        value = headers.get(name)
        self._items = [v.strip().strip('"') for v in value.split(",") if v.strip()] if value else []

    def _update(self) -> None:
        if self._items:
            self._headers[self._name] = ", ".join(self._items)
        elif self._name in self._headers:
            del self._headers[self._name]

    def find(self, value: str) -> int:
        lowered = [v.lower() for v in self._items]
        return lowered.index(value.lower()) if value.lower() in lowered else -1

    def add(self, value: str) -> None:
        self.update([value])

    def update(self, values: Any) -> None:
        added = False
        for value in values:
            if self.find(value) < 0:
                self._items.append(value)
                added = True
        if added:
            self._update()

    def discard(self, value: str) -> None:
        if self.find(value) >= 0:
            del self._items[self.find(value)]
            self._update()

    def remove(self, value: str) -> None:
        if self.find(value) < 0:
            raise KeyError(value)
        self.discard(value)

    def clear(self) -> None:
        self._items.clear()
        self._update()

    def as_set(self, preserve_casing: bool = False) -> set[str]:
        return set(self._items) if preserve_casing else {v.lower() for v in self._items}

    def to_header(self) -> str:
        return ", ".join(self._items)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and self.find(value) >= 0

    def __iter__(self) -> Any:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __str__(self) -> str:
        return self.to_header()


def _header_set(name: str) -> property:
    """``response.vary`` (a HeaderSet of the header) and ``response.vary = "Cookie"`` (or a list of values)."""

    def get(self: Any) -> HeaderSet:
        return HeaderSet(self.headers, name)

    def set_(self: Any, value: Any) -> None:
        if not value:
            if name in self.headers:
                del self.headers[name]
            return
        self.headers[name] = value if isinstance(value, str) else ", ".join(value)

    return property(get, set_)


WERKZEUG_NAMES = {
    "data": property(_get_data, _set_data),
    "get_data": _get_data,
    "set_data": _set_data,
    "mimetype": property(_mimetype, _set_mimetype),
    "content_type": property(_content_type, _set_content_type),
    "status": property(_status, _set_status),
    "content_length": _header("content-length", int),
    "content_encoding": _header("content-encoding"),
    "location": _header("location"),
    "vary": _header_set("vary"),
    "allow": _header_set("allow"),
    "content_language": _header_set("content-language"),
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


def _parts_rendered(own: Any) -> Any:
    """Starlette's ``render`` also taking Werkzeug's body of parts (``Response(["# HELP ...\\n", ...])``, a list
    or tuple of str and bytes, joined): Starlette's raised "'list' object has no attribute 'encode'"."""

    def render(self: Any, content: Any) -> bytes:
        if isinstance(content, (list, tuple)) and all(isinstance(p, (str, bytes)) for p in content):
            return b"".join(p.encode(self.charset) if isinstance(p, str) else p for p in content)
        return own(self, content)

    render._werkzeug_parts = True
    return render


def install() -> None:
    if not getattr(Response.render, "_werkzeug_parts", False):
        Response.render = _parts_rendered(Response.render)
    for name, value in WERKZEUG_NAMES.items():
        if not hasattr(Response, name):
            setattr(Response, name, value)
    for name, value in HEADER_NAMES.items():
        if not hasattr(MutableHeaders, name):
            setattr(MutableHeaders, name, value)


install()
