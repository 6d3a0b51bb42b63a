"""Flask's ``MethodView.decorators``: ``as_view`` wrapped the view in each, first one innermost.

The conversion routes each HTTP method of the class on its own; ``method_view`` gives each the class's
decorators as Flask did. A decorator built with ``functools.wraps`` shows FastAPI the method's signature.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from .context import _current

_VERBS = ("get", "post", "put", "delete", "patch", "head", "options", "dispatch_request")
_FILLS = "_flask_compat_fills_request"


def method_view(method: Callable[..., Any]) -> Callable[..., Any]:
    """A bound method of a MethodView, wrapped in its class's ``decorators`` in order."""
    owner = type(getattr(method, "__self__", None))
    fill_request(owner)
    view = method
    for decorator in getattr(owner, "decorators", None) or ():
        view = decorator(view)
    return view


def fill_request(cls: type) -> None:
    """Flask's view class methods took no request: an old test calls ``view.post()`` on an instance it made, inside
    ``app.test_request_context()``. The converted methods take the request FastAPI hands them, so that call raised
    "post() missing 1 required positional argument: 'request'"; each HTTP method of a routed class that takes
    ``request`` gets the current request when called without one (none current: the same TypeError). FastAPI still
    reads the method's own signature. A class routed without decorators or a registration helper is not reached."""
    for owner in getattr(cls, "__mro__", ())[:-1]:  # not ``object``
        for name in _VERBS:
            function = owner.__dict__.get(name)
            if not inspect.isfunction(function) or getattr(function, _FILLS, False):
                continue
            try:
                names = list(inspect.signature(function).parameters)
            except (TypeError, ValueError):
                continue
            if "request" in names:
                setattr(owner, name, _filled(function, names.index("request")))


def _filled(function: Callable[..., Any], position: int) -> Callable[..., Any]:
    def with_request(args: tuple, kwargs: dict) -> dict:
        current = _current.get(None)
        if "request" in kwargs or len(args) > position or current is None:
            return kwargs
        return {**kwargs, "request": current}

    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def method(*args: Any, **kwargs: Any) -> Any:
            return await function(*args, **with_request(args, kwargs))

    else:

        @functools.wraps(function)
        def method(*args: Any, **kwargs: Any) -> Any:
            return function(*args, **with_request(args, kwargs))

    setattr(method, _FILLS, True)
    return method
