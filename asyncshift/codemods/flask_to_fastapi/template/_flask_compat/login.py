"""Flask-Login's ``LoginManager``, ``login_user``, ``login_required`` and ``current_user`` on the signed-cookie session.

The app's user loader and login view work unchanged; end state: a ``Depends(current_user)`` dependency.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from .context import _Proxy, _request
from .flashing import flash
from .responses import make_response
from .urls import url_for


class AnonymousUserMixin:
    is_authenticated = False
    is_active = False
    is_anonymous = True

    def get_id(self) -> None:
        return None


class UserMixin:
    is_active = True
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    def get_id(self) -> str:
        return str(self.id)


class LoginManager:
    """The parts of Flask-Login's ``LoginManager`` that apps configure: loader, login view, message."""

    def __init__(self, app: FastAPI | None = None):
        self.login_view: str | None = None
        self.login_message = "Please log in to access this page."
        self.login_message_category = "message"
        self.anonymous_user = AnonymousUserMixin
        self._user_loader: Callable | None = None
        self._unauthorized: Callable | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: FastAPI) -> None:
        app.login_manager = self

    def user_loader(self, fn: Callable) -> Callable:
        self._user_loader = fn
        return fn

    def unauthorized_handler(self, fn: Callable) -> Callable:
        self._unauthorized = fn
        return fn


def _login_state(request: Request) -> dict:
    return request.scope.setdefault("state", {})


def _load_user(request: Request) -> Any:
    state = _login_state(request)
    if "_login_user" not in state:
        manager = request.app.login_manager
        user_id = request.session.get("_user_id") if "session" in request.scope else None
        user = manager._user_loader(user_id) if user_id is not None and manager._user_loader else None
        state["_login_user"] = user if user is not None else manager.anonymous_user()
    return state["_login_user"]


def login_user(user: Any, remember: bool = False, **_: Any) -> bool:
    request = _request()
    request.session["_user_id"] = str(user.get_id())
    _login_state(request)["_login_user"] = user
    return True


def logout_user() -> bool:
    request = _request()
    request.session.pop("_user_id", None)
    _login_state(request)["_login_user"] = request.app.login_manager.anonymous_user()
    return True


def _unauthorized(request: Request) -> Response:
    from fastapi import HTTPException

    manager = request.app.login_manager
    if manager._unauthorized is not None:
        return make_response(manager._unauthorized())
    if not manager.login_view:
        raise HTTPException(status_code=401)
    if manager.login_message:
        flash(request, manager.login_message, manager.login_message_category)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(url_for(request, manager.login_view, next=target), status_code=302)


def login_required(fn: Callable) -> Callable:
    """Flask-Login's decorator: the view runs only for a logged-in user, else the login view."""
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_view(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return _unauthorized(_request())
            return await fn(*args, **kwargs)

        return async_view

    @functools.wraps(fn)
    def view(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return _unauthorized(_request())
        return fn(*args, **kwargs)

    return view


current_user = _Proxy(lambda: _load_user(_request()))
