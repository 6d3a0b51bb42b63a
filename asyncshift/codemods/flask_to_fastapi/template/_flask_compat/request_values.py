"""Flask's ``request.values``: the query's arguments, then the form's fields (not on a GET), first value wins.

Werkzeug's is a ``CombinedMultiDict`` of ``args`` and ``form``; Starlette's request has no such mapping (its
``values`` would be missing). End state: read the query parameter or the form field the code means.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.datastructures import ImmutableMultiDict

from .inputs import read_form, request_form


class CombinedValues(ImmutableMultiDict):
    """Werkzeug's ``CombinedMultiDict`` read as one: ``[key]`` and ``get`` give the first source's value."""

    def __init__(self, items: list) -> None:
        super().__init__(items)
        self._dict = {}
        for key, value in reversed(self._list):
            self._dict[key] = value


def _combined(request: Request, form: Any) -> CombinedValues:
    items = list(request.query_params.multi_items())
    if request.method != "GET":  # Werkzeug 2.0+: a GET's values are its args alone
        pairs = form.multi_items() if hasattr(form, "multi_items") else form.items()  # a hook's replaced form
        items += [(k, v) for k, v in pairs if isinstance(v, str)]
    return CombinedValues(items)


async def read_values(request: Request) -> CombinedValues:
    """A view's ``request.values`` (a FastAPI dependency): the form read without blocking."""
    return _combined(request, await read_form(request) if request.method != "GET" else None)


def request_values(request: Request) -> CombinedValues:
    """``request.values`` in sync code outside a view (a helper, a hook)."""
    return _combined(request, request_form(request) if request.method != "GET" else None)
