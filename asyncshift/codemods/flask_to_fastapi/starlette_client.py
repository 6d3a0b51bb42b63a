"""Starlette's ``TestClient`` and the httpx module it is built on, whichever that is (used by ``testclient``).

Starlette 1.10 builds its test client on ``httpx2`` and, where only ``httpx`` is installed, imports it with a
``StarletteDeprecationWarning`` (a UserWarning): a suite run with ``filterwarnings = error`` stopped at
collection, at the first module importing the Flask-style client. That warning is about the environment, not
the converted code, so it is silenced for this import only (the client works on either).
Where ``httpx2`` is installed, the responses are ``httpx2.Response``: wrapping their headers in ``httpx.Headers``
read them as a plain mapping, joining repeated ``Set-Cookie`` headers into one; and without ``httpx`` beside it,
``import httpx`` failed. So ``httpx`` here is the module Starlette's client itself uses (older Starlette: ``httpx``).
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    import starlette.testclient

from starlette.testclient import TestClient

try:
    httpx = starlette.testclient.httpx
except AttributeError:  # a Starlette whose client is not built on httpx (before 0.21: requests)
    import httpx

__all__ = ["TestClient", "httpx"]
