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
_MADE_FOR = "_flask_compat_scope"  # on a Flask request context: the ASGI scope of the request it was made for


def has_request_context() -> bool:
    """Flask's: a request is being served (or a test's ``test_request_context()`` is pushed)."""
    return _current.get(None) is not None


def has_app_context() -> bool:
    """Flask's: a request, or an ``app.app_context()``, is current."""
    return has_request_context() or _app_ctx.get(None) is not None


def made_for(context: Any, scope: dict) -> Any:
    """``context``, a Flask request context built from the request of ``scope``, marked as that request's."""
    setattr(context, _MADE_FOR, scope)
    return context


def flasks_own_for(scope: dict) -> Any:
    """Flask's request context on top when it was made for the request of ``scope``, else None: one a test pushed
    (``app.test_request_context()`` in a fixture) belongs to the test's request, not to one the app serves then,
    as Flask's test client pushed each request's own on top of the test's."""
    own = _flasks_own()
    return own if own is not None and getattr(own, _MADE_FOR, None) is scope else None


def flasks_own_is_anothers() -> bool:
    """Flask's request context on top was made for another request than the one served (a test's, pushed by its
    fixture while the test client asks the app), so what is kept on it is not this request's."""
    served = _current.get(None)
    return served is not None and _flasks_own() is not None and flasks_own_for(served.scope) is None


def _storage() -> Any:
    """The current request's storage; Flask's own request context where one is pushed for the same request (a
    test's ``test_request_context()``, which the test itself may write to), not a test's during a served request."""
    found = _current.get(None)
    if found is None:
        raise RuntimeError("Working outside of request context.")
    scope = found.scope
    storage = scope.get(_STORAGE)
    if storage is None:
        storage = scope[_STORAGE] = flasks_own_for(scope) or types.SimpleNamespace()
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
