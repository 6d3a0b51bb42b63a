"""Flask's request context as per-request storage: ``has_request_context()``, ``_request_ctx_stack.top`` and
``request_ctx`` (``setattr(_request_ctx_stack.top, "forum", ...)`` caches a row for the rest of the request).

Flask's own answered no request (the converted app serves outside Flask), so such a cache was always empty.
End state: keep per-request values on ``request.state``.
"""

from __future__ import annotations

import types
from typing import Any

from .context import _app_ctx, _current, _Proxy

_STORAGE = "flask_compat_request_context"  # the request's storage, in its ASGI scope


def has_request_context() -> bool:
    """Flask's: a request is being served (or a test's ``test_request_context()`` is pushed)."""
    return _current.get(None) is not None


def has_app_context() -> bool:
    """Flask's: a request, or an ``app.app_context()``, is current."""
    return has_request_context() or _app_ctx.get(None) is not None


def _storage() -> Any:
    """The current request's storage; Flask's own request context where one is pushed for the same request (a
    test's ``test_request_context()``, which the test itself may write to)."""
    found = _current.get(None)
    if found is None:
        raise RuntimeError("Working outside of request context.")
    scope = found.scope
    storage = scope.get(_STORAGE)
    if storage is None:
        storage = scope[_STORAGE] = _flasks_own() or types.SimpleNamespace()
    return storage


def _flasks_own() -> Any:
    try:
        from flask.globals import _cv_request
    except ImportError:  # Flask < 2.2: its stack
        try:
            from flask import _request_ctx_stack
        except ImportError:
            return None
        return _request_ctx_stack.top
    return _cv_request.get(None)


class _RequestContextStack:
    """Flask's ``_request_ctx_stack``: ``top`` is the current request's storage, None outside a request."""

    @property
    def top(self) -> Any:
        return _storage() if has_request_context() else None


_request_ctx_stack = _RequestContextStack()
request_ctx = _Proxy(_storage)
