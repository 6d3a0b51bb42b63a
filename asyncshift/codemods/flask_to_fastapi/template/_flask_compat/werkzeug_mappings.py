"""Werkzeug's ``MultiDict.to_dict()`` and ``lists()`` on Starlette's query and form mappings.

The views' own ``request.args.to_dict()`` is rewritten where it is read; a mapping handed to a helper of the app
(``semiflatten(request.args)``, which calls ``multi.to_dict(flat=False)``) meets Starlette's
``ImmutableMultiDict``, which has neither. They are set on Starlette's class when the helper package is imported,
and only where Starlette has no such name. End state: ``dict(mapping)`` and ``mapping.getlist(key)``.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import ImmutableMultiDict


def _to_dict(self: Any, flat: bool = True) -> dict:
    if flat:
        return {key: self.getlist(key)[0] for key in self.keys()}
    return {key: self.getlist(key) for key in self.keys()}


def _lists(self: Any) -> Any:
    return ((key, self.getlist(key)) for key in self.keys())


WERKZEUG_NAMES = {"to_dict": _to_dict, "lists": _lists}


def install() -> None:
    for name, value in WERKZEUG_NAMES.items():
        if not hasattr(ImmutableMultiDict, name):
            setattr(ImmutableMultiDict, name, value)


install()
