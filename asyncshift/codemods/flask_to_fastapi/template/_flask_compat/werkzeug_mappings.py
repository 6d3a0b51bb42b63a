"""Werkzeug's ``MultiDict.to_dict()``, ``lists()`` and ``copy()`` on Starlette's query and form mappings.

The views' own ``request.args.to_dict()`` is rewritten where it is read; a mapping handed to a helper of the app
(``semiflatten(request.args)``, which calls ``multi.to_dict(flat=False)``) meets Starlette's
``ImmutableMultiDict``, which has neither. They are set on Starlette's class when the helper package is imported,
and only where Starlette has no such name. ``get``/``getlist`` with Werkzeug's ``type=`` are rewritten where they are
called, as ``typed_get(mapping, ...)``; a mapping handed to a helper of the app that calls ``params.get(key,
type=int)`` itself is met by Starlette's ``get``/``getlist`` taking Werkzeug's ``type`` too (as before without it).
End state: ``dict(mapping)``, ``mapping.getlist(key)`` and the conversion written out.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers, ImmutableMultiDict, MultiDict


def _to_dict(self: Any, flat: bool = True) -> dict:
    if flat:
        return {key: self.getlist(key)[0] for key in self.keys()}
    return {key: self.getlist(key) for key in self.keys()}


def _lists(self: Any) -> Any:
    return ((key, self.getlist(key)) for key in self.keys())


class WerkzeugMultiDict(MultiDict):
    """What Werkzeug's ``copy()`` gives: a mutable mapping of every value, ``add()``, and a key's first value where
    Starlette's gives its last (``[key]``, ``get``, ``items()``: what ``urlencode(params)`` reads)."""

    def add(self, key: Any, value: Any) -> None:
        self.append(key, value)

    def __getitem__(self, key: Any) -> Any:
        values = self.getlist(key)
        if not values:
            raise KeyError(key)
        return values[0]

    def items(self) -> Any:
        return [(key, self.getlist(key)[0]) for key in self.keys()]


def _copy(self: Any) -> WerkzeugMultiDict:
    """Werkzeug's: a mutable ``MultiDict`` of every value (``params = request.args.copy(); params["page"] = 2``)."""
    return WerkzeugMultiDict(self.multi_items())


def typed_get(mapping: Any, key: str, default: Any = None, type: Any = None) -> Any:  # noqa: A002 - Werkzeug's
    """Werkzeug's ``mapping.get(key, default, type=int)`` (args, form, values, headers, cookies): Starlette's
    ``get`` takes no ``type``; a value the converter refuses (ValueError, TypeError) gives the default."""
    if key not in mapping:
        return default
    value = mapping[key]
    if type is None:
        return value
    try:
        return type(value)
    except (ValueError, TypeError):
        return default


def typed_getlist(mapping: Any, key: str, type: Any = None) -> list:  # noqa: A002 - Werkzeug's name
    """Werkzeug's ``mapping.getlist(key, type=int)``: the values the converter takes, the others left out."""
    values = mapping.getlist(key) if hasattr(mapping, "getlist") else ([mapping[key]] if key in mapping else [])
    if type is None:
        return list(values)
    found = []
    for value in values:
        try:
            found.append(type(value))
        except (ValueError, TypeError):
            pass
    return found


WERKZEUG_NAMES = {"to_dict": _to_dict, "lists": _lists, "copy": _copy}


def _typed(cls: type, name: str, typed: Any) -> None:
    """``cls.name`` also taking Werkzeug's ``type`` (TypeError on Starlette's); without it, Starlette's own."""
    own = getattr(cls, name)
    if getattr(own, "_werkzeug_type", False):
        return
    if name == "get":

        def method(self: Any, key: Any, default: Any = None, type: Any = None) -> Any:  # noqa: A002 - Werkzeug's
            return own(self, key, default) if type is None else typed(self, key, default, type)
    else:

        def method(self: Any, key: Any, type: Any = None) -> Any:  # noqa: A002 - Werkzeug's
            return own(self, key) if type is None else typed(self, key, type)

    method._werkzeug_type = True
    setattr(cls, name, method)


def install() -> None:
    for name, value in WERKZEUG_NAMES.items():
        if not hasattr(ImmutableMultiDict, name):
            setattr(ImmutableMultiDict, name, value)
    for cls in (ImmutableMultiDict, Headers):  # query, form and headers; a cookies dict is a plain dict
        _typed(cls, "get", typed_get)
        _typed(cls, "getlist", typed_getlist)


install()
