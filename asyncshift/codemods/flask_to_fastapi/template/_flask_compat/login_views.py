"""Flask-Login's functions views call: ``login_user``, ``logout_user``, ``login_required`` and the login redirect.

They write the session keys Flask-Login writes, so either app reads the other's sign-in; an unauthorized
request is answered as Flask-Login answers it (flash, redirect to the login view with ``next``, or 401).
End state: a ``Depends(require_user)`` dependency and an explicit redirect.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from fastapi import Request

from .context import _request
from .flashing import flash
from .foreign_login import session_key
from .login import COOKIE_NAME, _load_user, _set_user, decode_cookie
from .redirects import redirect
from .responses import make_response
from .urls import url_for
from .werkzeug_errors import HTTPException  # Flask-Login's abort(401): Werkzeug's Unauthorized too

EXEMPT_METHODS = {"OPTIONS"}


def login_user(
    user: Any, remember: bool = False, duration: timedelta | None = None, force: bool = False, fresh: bool = True
) -> bool:
    request = _request()
    if not force and not user.is_active:
        return False
    manager = request.app.login_manager
    session = request.session
    session[session_key(manager, "user_id")] = getattr(user, manager.id_attribute)()  # a real 0.4 manager's keys
    session["_fresh"] = fresh
    session["_id"] = manager._session_identifier_generator()
    if remember:
        session[session_key(manager, "remember")] = "set"
        if duration is not None:
            session[session_key(manager, "remember_seconds")] = duration.total_seconds()
    _set_user(request, user)
    return True


def logout_user() -> bool:
    request = _request()
    session, manager = request.session, getattr(request.app, "login_manager", None)
    for key in (session_key(manager, "user_id"), "_fresh", "_id"):
        if key in session:
            session.pop(key)
    if request.app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies:
        session[session_key(manager, "remember")] = "clear"
        session.pop(session_key(manager, "remember_seconds"), None)
    _set_user(request)
    return True


def confirm_login() -> None:
    request = _request()
    request.session["_fresh"] = True
    request.session["_id"] = request.app.login_manager._session_identifier_generator()


def login_fresh() -> bool:
    return _request().session.get("_fresh", False)


def login_remembered() -> bool:
    request = _request()
    name = request.app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
    remember = session_key(getattr(request.app, "login_manager", None), "remember")
    if name in request.cookies and request.session.get(remember) != "clear":
        return decode_cookie(request.cookies[name], request) is not None
    return False


def make_next_param(login_url: str, current_url: str) -> str:
    """Flask-Login's: the current URL without scheme and host when the login URL is on the same site."""
    login, current = urlsplit(login_url), urlsplit(current_url)
    if (not login.scheme or login.scheme == current.scheme) and (not login.netloc or login.netloc == current.netloc):
        return urlunsplit(("", "", current.path, current.query, ""))
    return current_url


def _expand(request: Request, login_view: str) -> str:
    if login_view.startswith(("https://", "http://", "/")):
        return login_view
    return url_for(request, login_view)


def login_url(login_view: str, next_url: str | None = None, next_field: str = "next") -> str:
    request = _request()
    base = _expand(request, login_view)
    if next_url is None:
        return base
    parsed = urlsplit(base)
    query = parse_qs(parsed.query, keep_blank_values=True)
    query[next_field] = make_next_param(base, next_url)  # type: ignore[assignment]
    netloc = request.app.config.get("FORCE_HOST_FOR_REDIRECTS") or parsed.netloc
    return urlunsplit(parsed._replace(netloc=netloc, query=urlencode(query, doseq=True)))


def _redirect_to(request: Request, view: str, message: str | None, category: str) -> Any:
    manager = request.app.login_manager
    if message:
        flash(request, manager.localize_callback(message) if manager.localize_callback else message, category)
    if request.app.config.get("USE_SESSION_FOR_NEXT", False):
        request.session["_id"] = manager._session_identifier_generator()
        request.session["next"] = make_next_param(_expand(request, view), str(request.url))
        return redirect(login_url(view))
    return redirect(login_url(view, next_url=str(request.url)))


def unauthorized(request: Request) -> Any:
    manager = request.app.login_manager
    if manager.unauthorized_callback is not None:
        return make_response(manager.unauthorized_callback())
    route = request.scope.get("route")
    blueprint = (getattr(route, "tags", None) or [None])[0]
    view = manager.blueprint_login_views.get(blueprint, manager.login_view)
    if not view:
        raise HTTPException(status_code=401)
    return _redirect_to(request, view, manager.login_message, manager.login_message_category)


def needs_refresh(request: Request) -> Any:
    manager = request.app.login_manager
    if manager.needs_refresh_callback is not None:
        return make_response(manager.needs_refresh_callback())
    if not manager.refresh_view:
        raise HTTPException(status_code=401)
    return _redirect_to(
        request, manager.refresh_view, manager.needs_refresh_message, manager.needs_refresh_message_category
    )


def _guard(fn: Callable, check: Callable[[Request], Any]) -> Callable:
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_view(*args: Any, **kwargs: Any) -> Any:
            refused = check(_request())
            return refused if refused is not None else await fn(*args, **kwargs)

        return async_view

    @functools.wraps(fn)
    def view(*args: Any, **kwargs: Any) -> Any:
        refused = check(_request())
        return refused if refused is not None else fn(*args, **kwargs)

    return view


def _exempt(request: Request) -> bool:
    return request.method in EXEMPT_METHODS or bool(request.app.config.get("LOGIN_DISABLED"))


def _require_login(request: Request) -> Any:
    if not _exempt(request) and not _load_user(request).is_authenticated:
        return unauthorized(request)
    return None


def _require_fresh_login(request: Request) -> Any:
    if _exempt(request):
        return None
    if not _load_user(request).is_authenticated:
        return unauthorized(request)
    if not request.session.get("_fresh", False):
        return needs_refresh(request)
    return None


def login_required(fn: Callable) -> Callable:
    """Flask-Login's decorator: the view runs for a signed-in user; others get ``unauthorized()``."""
    return _guard(fn, _require_login)


def fresh_login_required(fn: Callable) -> Callable:
    """Flask-Login's decorator: a signed-in user whose login is fresh; a stale one gets ``needs_refresh()``."""
    return _guard(fn, _require_fresh_login)
