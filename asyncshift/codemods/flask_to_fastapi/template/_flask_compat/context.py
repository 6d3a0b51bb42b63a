"""Flask's ``request``, ``g``, ``session`` and ``current_app`` as proxies to the current request (or app context).

Code outside views (helpers, models, auth) reads them as in Flask; end state: pass ``request`` or use Depends.
"""

from __future__ import annotations

import contextlib
import contextvars
import inspect
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request

_current: contextvars.ContextVar[Request] = contextvars.ContextVar("flask_compat_request")


class _Proxy:
    def __init__(self, resolve: Callable[[], Any]):
        object.__setattr__(self, "_resolve", resolve)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._resolve(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._resolve(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._resolve(), name)

    def __getitem__(self, key: Any) -> Any:
        return self._resolve()[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._resolve()[key] = value

    def __delitem__(self, key: Any) -> None:
        del self._resolve()[key]

    def __contains__(self, key: Any) -> bool:
        return key in self._resolve()

    def __iter__(self):
        return iter(self._resolve())

    def __bool__(self) -> bool:
        return bool(self._resolve())


def _request() -> Request:
    try:
        return _current.get()
    except LookupError:
        raise RuntimeError("Working outside of request context.") from None


class _G:
    """``flask.g`` on ``request.state``: attributes plus ``get``/``pop``/``setdefault``/``in``."""

    def __init__(self, data: dict):
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self._data[name] = value

    def __delattr__(self, name: str) -> None:
        del self._data[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self._data.get(name, default)

    def pop(self, name: str, *default: Any) -> Any:
        return self._data.pop(name, *default)

    def setdefault(self, name: str, default: Any = None) -> Any:
        return self._data.setdefault(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def __iter__(self):
        return iter(self._data)


_app_ctx: contextvars.ContextVar[tuple[FastAPI, dict]] = contextvars.ContextVar("flask_compat_app")


@contextlib.contextmanager
def _app_context(app: FastAPI):
    """Flask's ``app.app_context()``: ``g`` and ``current_app`` outside a request; teardown hooks on exit."""
    token = _app_ctx.set((app, {}))
    error: BaseException | None = None
    try:
        yield
    except BaseException as exc:
        error = exc
        raise
    finally:
        for hook in app.hooks["teardown"]:
            if not inspect.iscoroutinefunction(hook):
                hook(error)
        _app_ctx.reset(token)


def _context_data() -> dict:
    try:
        return _current.get().scope.setdefault("state", {})
    except LookupError:
        pass
    try:
        return _app_ctx.get()[1]
    except LookupError:
        raise RuntimeError("Working outside of application context.") from None


def _current_app() -> FastAPI:
    try:
        return _current.get().app
    except LookupError:
        pass
    try:
        return _app_ctx.get()[0]
    except LookupError:
        raise RuntimeError("Working outside of application context.") from None


request = _Proxy(_request)
g = _Proxy(lambda: _G(_context_data()))


def _session() -> Any:
    from .sessions import any_use_is_access

    found = _request().session
    if any_use_is_access():  # Flask >= 3.1.3: any use of ``session`` adds ``Vary: Cookie``
        with contextlib.suppress(AttributeError):  # a plain dict from another session middleware
            found.accessed = True
    return found


session = _Proxy(_session)
current_app = _Proxy(_current_app)
