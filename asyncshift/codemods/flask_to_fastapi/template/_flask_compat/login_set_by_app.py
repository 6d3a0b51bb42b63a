"""A user the app itself makes the signed-in one for one request, where Flask-Login's ``current_user`` reads it:
``_request_ctx_stack.top.user = user`` (Flask-Login before 0.6.2 returns the request context's ``user`` once set) or
``g._login_user = user`` (0.6.2+ keeps it there). An app signing in an API key's owner in a ``before_request`` does
so; the helper's ``current_user`` read the session only, and such a request stayed anonymous (401 where Flask
answered as for that user). Which of the two counts follows the Flask-Login installed; both when there is none.
End state: a ``Depends`` giving the request's user.
"""

from __future__ import annotations

import functools
from typing import Any

from .request_context import _STORAGE

NOTHING = object()
LOADED = "_flask_compat_login_loaded"  # beside the user the helper keeps: the one it put there itself


@functools.lru_cache(maxsize=None)  # noqa: UP033 - functools.cache is Python 3.9+; the helpers run on 3.8+
def installed_version() -> tuple[int, ...] | None:
    """The Flask-Login installed beside the app (the one it pins), None when there is none."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return tuple(int(part) for part in version("flask-login").split(".")[:3])
    except (PackageNotFoundError, ValueError):
        return None


def on_request_context() -> bool:
    """Flask-Login's ``current_user`` is the request context's ``user`` (before 0.6.2)."""
    found = installed_version()
    return found is None or found < (0, 6, 2)


def on_g() -> bool:
    """Flask-Login's ``current_user`` is ``g._login_user`` (0.6.2+)."""
    found = installed_version()
    return found is None or found >= (0, 6, 2)


def set_by_app(request: Any, state: dict) -> Any:
    """The user the app set for this request, NOTHING if none. ``state`` holds the user the helper loaded (``g``'s
    data under 0.6.2+): one there the helper did not put there is the app's."""
    if on_request_context():
        user = getattr(request.scope.get(_STORAGE), "user", NOTHING)
        if user is not NOTHING and user is not request.scope.get(LOADED, NOTHING):
            return user
    if on_g() and state is request.scope.get("state"):
        user = state.get("_login_user", NOTHING)
        if user is not NOTHING and user is not state.get(LOADED, NOTHING):
            return user
    return NOTHING


def loaded(request: Any, state: dict, user: Any) -> None:
    """The helper keeps ``user`` as the request's (loaded, signed in or out): it replaces one the app set, as
    Flask-Login's ``login_user`` and ``logout_user`` do."""
    state[LOADED] = request.scope[LOADED] = user
    storage = request.scope.get(_STORAGE)
    if on_request_context() and storage is not None and hasattr(storage, "user"):
        storage.user = user
