"""Starlette's ``TestClient`` and the httpx module it is built on, whichever that is (used by ``testclient``).

Starlette 1.10 builds its test client on ``httpx2`` and, where only ``httpx`` is installed, imports it with a
``StarletteDeprecationWarning`` (a UserWarning): a suite run with ``filterwarnings = error`` stopped at
collection, at the first module importing the Flask-style client. That warning is about the environment, not
the converted code, so it is silenced for this import only (the client works on either).
Where ``httpx2`` is installed, the responses are ``httpx2.Response``: wrapping their headers in ``httpx.Headers``
read them as a plain mapping, joining repeated ``Set-Cookie`` headers into one; and without ``httpx`` beside it,
``import httpx`` failed. So ``httpx`` here is the module Starlette's client itself uses (older Starlette: ``httpx``).
An older Starlette's client hands that httpx an ``app`` it may no longer take: it is not handed it then.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    import starlette.testclient

from starlette.testclient import TestClient

try:
    httpx = starlette.testclient.httpx
except AttributeError:  # a Starlette whose client is not built on httpx (before 0.21: requests)
    import httpx


def _test_clients_without_app() -> None:
    """Starlette's client before it stopped handing httpx its app (Starlette 0.27, which FastAPI 0.100 takes, passes
    ``app=`` to ``httpx.Client``), on an httpx that took that argument away (0.28): every client failed as it was
    made (TypeError: __init__() got an unexpected keyword argument 'app'). Its transport carries the app already:
    for Starlette's clients only, httpx is not handed it."""
    given = httpx.Client.__init__
    if "app" in inspect.signature(given).parameters or getattr(given, "_asyncshift_no_app", False):
        return

    @functools.wraps(given)
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(self, TestClient):
            kwargs.pop("app", None)
        given(self, *args, **kwargs)

    init._asyncshift_no_app = True  # type: ignore[attr-defined]
    httpx.Client.__init__ = init


_test_clients_without_app()

__all__ = ["TestClient", "httpx"]
