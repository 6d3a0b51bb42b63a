"""Flask's ``MethodView.decorators``: ``as_view`` wrapped the view in each, first one innermost.

The conversion routes each HTTP method of the class on its own; ``method_view`` gives each the class's
decorators as Flask did. A decorator built with ``functools.wraps`` shows FastAPI the method's signature.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from .context import _current, _Proxy

_VERBS = ("get", "post", "put", "delete", "patch", "head", "options", "dispatch_request")
_FILLS = "_flask_compat_fills_request"


def _flask_base(name: str) -> tuple[type, ...]:
    """Flask's class of that name where Flask is installed (the app's tests import it): a test's
    ``isinstance(view, flask.views.MethodView)`` holds for a converted view as it did. Its attributes are Flask's
    defaults (``decorators = []``, ``methods``); what the helper's classes define comes first."""
    try:
        from flask import views
    except ImportError:  # no Flask left: the helper's classes stand alone
        return ()
    found = getattr(views, name, None)
    return (found,) if isinstance(found, type) else ()


class View(*_flask_base("View")):  # type: ignore[misc]
    """The base a converted ``flask.views.View`` keeps: Flask's ``as_view``, for a registration the conversion could
    not read (``view.as_view(endpoint)`` in a project's ``register_api`` helper, a test's ``Cls.as_view("name")``)."""

    @classmethod
    def as_view(cls, name: str, *class_args: Any, **class_kwargs: Any) -> Any:
        """Flask's view of the class: routed by ``url_rule`` (the blueprint's ``add_url_rule``, converted) one route per
        HTTP method, and called by hand in a request context as Flask's view function (``view_registration``)."""
        from .view_registration import view_class

        return view_class(cls, name, *class_args, **class_kwargs)


class MethodView(View, *_flask_base("MethodView")):  # type: ignore[misc]
    """The base a converted ``flask.views.MethodView`` keeps: ``as_view``, and Flask's ``dispatch_request`` for a
    class whose override (its own or a mixin's) calls ``super().dispatch_request``: the method of the current request
    answers (``get`` for a ``HEAD``)."""

    def dispatch_request(self, *args: Any, **kwargs: Any) -> Any:
        method = _current.get().method
        answer = getattr(self, method.lower(), None)
        if answer is None and method == "HEAD":
            answer = getattr(self, "get", None)
        if answer is None:
            raise AssertionError(f"Unimplemented method {method!r}")
        return answer(*args, **kwargs)


def method_view(method: Callable[..., Any]) -> Callable[..., Any]:
    """A bound method of a MethodView, wrapped in its class's ``decorators`` in order; through the class's
    ``dispatch_request`` where it overrides the helper's ``MethodView`` one."""
    owner = type(getattr(method, "__self__", None))
    fill_request(owner)
    overridden = getattr(owner, "dispatch_request", MethodView.dispatch_request) is not MethodView.dispatch_request
    view = _dispatched(method) if overridden and issubclass(owner, MethodView) else method
    for decorator in getattr(owner, "decorators", None) or ():
        view = decorator(view)
    return view


def _dispatched(method: Callable[..., Any]) -> Callable[..., Any]:
    """The method's route answered by its instance's ``dispatch_request`` (FastAPI still reads the method's
    signature), on a copy of the instance per request: Flask made one per request, and the override keeps what it
    looked up on it (``self.project``)."""
    instance = method.__self__

    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def view(*args: Any, **kwargs: Any) -> Any:
            answer = copy.copy(instance).dispatch_request(*args, **kwargs)
            return await answer if inspect.isawaitable(answer) else answer

    else:

        @functools.wraps(method)
        def view(*args: Any, **kwargs: Any) -> Any:
            return copy.copy(instance).dispatch_request(*args, **kwargs)

    return view


def fill_request(cls: type) -> None:
    """Flask's view class methods took no request: an old test calls ``view.post()`` on an instance it made, inside
    ``app.test_request_context()``. The converted methods take the request FastAPI hands them, so that call raised
    "post() missing 1 required positional argument: 'request'"; each HTTP method of a routed class that takes
    ``request`` gets the current request when called without one, by name or in its place (``view.get("a", "1.0")``:
    its values positionally; none current: the same TypeError). FastAPI still
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
    count = len(inspect.signature(function).parameters)

    def with_request(args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        """The current request where the call lacks it: by name, or in its place where the caller passed every other
        parameter positionally (``view.get("name", "1.0")``: no request-like value where the request goes)."""
        current = _current.get(None)
        if "request" in kwargs or current is None:
            return args, kwargs
        if len(args) <= position:
            return args, {**kwargs, "request": current}
        if len(args) + len(kwargs) < count and not isinstance(args[position], (Request, _Proxy)):
            return (*args[:position], current, *args[position:]), kwargs
        return args, kwargs

    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def method(*args: Any, **kwargs: Any) -> Any:
            args, kwargs = with_request(args, kwargs)
            return await function(*args, **kwargs)

    else:

        @functools.wraps(function)
        def method(*args: Any, **kwargs: Any) -> Any:
            args, kwargs = with_request(args, kwargs)
            return function(*args, **kwargs)

    setattr(method, _FILLS, True)
    return method
