"""Flask's contexts follow the request into the worker thread a sync view runs in, before Werkzeug 2.0 too.

Werkzeug 2.0+ keeps Flask's context stacks in context variables, which the worker thread gets a copy of.
Before, they were thread-locals: the Flask app context pushed per request (for extensions reading
``flask.current_app``: Flask-Mail's ``Message``, Flask-CKEditor's ``config``) was not seen by the view.
There the stacks are keyed by the request (a context variable) while one is being served.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from typing import Any

_serving: contextvars.ContextVar[object] = contextvars.ContextVar("flask_compat_serving")


def _keyed_by_request(thread_ident: Callable[[], Any]) -> Callable[[], Any]:
    def ident() -> Any:
        found = _serving.get(None)
        return found if found is not None else thread_ident()

    ident.keyed_by_request = True
    return ident


@functools.lru_cache(maxsize=None)  # noqa: UP033 - functools.cache is Python 3.9+
def _install() -> None:
    try:
        import flask.globals as flask_globals
    except ImportError:  # Flask gone: nothing reads its stacks
        return
    for name in ("_app_ctx_stack", "_request_ctx_stack"):
        local = getattr(getattr(flask_globals, name, None), "_local", None)
        if "__storage__" not in getattr(type(local), "__slots__", ()):  # Werkzeug 2.0+: context variables
            continue
        ident = local.__ident_func__
        if not getattr(ident, "keyed_by_request", False):
            object.__setattr__(local, "__ident_func__", _keyed_by_request(ident))


def follow_the_request() -> contextvars.Token:
    """Key Flask's thread-local stacks by this request until ``leave`` (called before the push, reset after)."""
    _install()
    return _serving.set(object())


def leave(token: contextvars.Token) -> None:
    _serving.reset(token)
