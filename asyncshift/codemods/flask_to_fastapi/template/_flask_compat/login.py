"""Flask-Login's ``LoginManager``, user mixins and ``current_user`` on the Flask app's own session cookie.

The session keys are Flask-Login's (``_user_id``, ``_fresh``, ``_id``, ``_remember``; ``user_id`` and ``remember`` under
a real 0.4 manager an extension made: ``foreign_login.session_key``), the session protection
identifier and the ``remember_token`` cookie too, so a user signed in by the Flask app is signed in here and
the other way round. The app's user loader and login view work unchanged; end state: a ``Depends(current_user)``.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from hashlib import sha512
from typing import Any

from fastapi import FastAPI, Request

from .context import _Proxy, _request
from .cookies import delete_cookie, dump_cookie
from .flask_threads import _serving
from .foreign_login import identifier, loaders, session_key, user_id_key, user_on_request
from .login_set_by_app import NOTHING, loaded, set_by_app

UTC = timezone.utc  # noqa: UP017 - datetime.UTC is Python 3.11+; the helpers run on 3.8+

COOKIE_NAME = "remember_token"
COOKIE_DURATION = timedelta(days=365)
SESSION_KEYS = {"_user_id", "_remember", "_remember_seconds", "_id", "_fresh", "next"}
SESSION_KEYS_04 = {"user_id", "remember", "remember_seconds"}  # a real Flask-Login 0.4 manager's names (session_key)


class AnonymousUserMixin:
    is_authenticated = False
    is_active = False
    is_anonymous = True

    def get_id(self) -> None:
        return None


class UserMixin:
    """Flask-Login's: active, authenticated while active, ``get_id`` is ``str(self.id)``, equal by id."""

    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:
        return True

    @property
    def is_authenticated(self) -> bool:
        return self.is_active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        try:
            return str(self.id)
        except AttributeError:
            raise NotImplementedError("No `id` attribute - override `get_id`") from None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, UserMixin):
            return self.get_id() == other.get_id()
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal


class LoginManager:
    """Flask-Login's ``LoginManager``: loaders, login and refresh views, messages, session protection."""

    def __init__(self, app: FastAPI | None = None, add_context_processor: bool = True):
        self.anonymous_user: Callable[[], Any] = AnonymousUserMixin
        self.login_view: str | None = None
        self.blueprint_login_views: dict = {}
        self.login_message: str | None = "Please log in to access this page."
        self.login_message_category = "message"
        self.refresh_view: str | None = None
        self.needs_refresh_message: str | None = "Please reauthenticate to access this page."
        self.needs_refresh_message_category = "message"
        self.session_protection: str | None = "basic"
        self.localize_callback: Callable | None = None
        self.unauthorized_callback: Callable | None = None
        self.needs_refresh_callback: Callable | None = None
        self.id_attribute = "get_id"
        self._user_callback: Callable | None = None
        self._request_callback: Callable | None = None
        self._session_identifier_generator = _create_identifier
        if app is not None:
            self.init_app(app, add_context_processor)

    def init_app(self, app: FastAPI, add_context_processor: bool = True) -> None:
        app.login_manager = self  # templates get current_user from it (``templates._template_context``)
        hooks = getattr(app, "hooks", None)
        if isinstance(hooks, dict) and _update_remember_cookie not in hooks["after"]:
            hooks["after"].append(_update_remember_cookie)

    setup_app = init_app

    def user_loader(self, fn: Callable) -> Callable:
        self._user_callback = fn
        return fn

    def request_loader(self, fn: Callable) -> Callable:
        self._request_callback = fn
        return fn

    @property
    def user_callback(self) -> Callable | None:
        return self._user_callback

    @property
    def request_callback(self) -> Callable | None:
        return self._request_callback

    def unauthorized_handler(self, fn: Callable) -> Callable:
        self.unauthorized_callback = fn
        return fn

    def needs_refresh_handler(self, fn: Callable) -> Callable:
        self.needs_refresh_callback = fn
        return fn

    def unauthorized(self) -> Any:
        from .login_views import unauthorized

        return unauthorized(_request())

    def needs_refresh(self) -> Any:
        from .login_views import needs_refresh

        return needs_refresh(_request())

    def for_flask(self) -> Any:
        """What code left on Flask finds as ``current_app.login_manager``: a real Flask-Login one (``hosted_login``)."""
        from .hosted_login import flask_login_manager

        return flask_login_manager(self)


def _secret_key(request: Request) -> bytes:
    key = request.app.config["SECRET_KEY"]
    return key.encode("latin1") if isinstance(key, str) else key


def _cookie_digest(request: Request, payload: str) -> str:
    return hmac.new(_secret_key(request), payload.encode("utf-8"), sha512).hexdigest()


def encode_cookie(payload: str, request: Request | None = None) -> str:
    """Flask-Login's remember cookie value: ``payload|hmac-sha512(SECRET_KEY, payload)``."""
    return f"{payload}|{_cookie_digest(request or _request(), payload)}"


def decode_cookie(cookie: str, request: Request | None = None) -> str | None:
    try:
        payload, digest = cookie.rsplit("|", 1)
    except ValueError:
        return None
    if hmac.compare_digest(_cookie_digest(request or _request(), payload), digest):
        return payload
    return None


def _create_identifier(request: Request | None = None) -> str:
    """Flask-Login's session identifier: sha512 of ``b'<first X-Forwarded-For or client address>'|b'<agent>'``."""
    request = request or _request()
    address: Any = request.headers.get("X-Forwarded-For", request.client.host if request.client else None)
    if address is not None:
        address = address.encode("utf-8").split(b",")[0].strip()
    agent: Any = request.headers.get("User-Agent")
    if agent is not None:
        agent = agent.encode("utf-8")
    return sha512(f"{address}|{agent}".encode()).hexdigest()


def _login_state(request: Request) -> dict:
    """Where the loaded user is kept: ``g`` (the request's state), as Flask-Login 0.6.2+; the request itself under an
    older real Flask-Login, which kept it on the request context (a suite's app context shares ``g`` between requests:
    a first request's anonymous user stayed after a login)."""
    if user_on_request(getattr(request.app, "login_manager", None)):
        return request.scope.setdefault("_flask_compat_login", {})
    return request.scope.setdefault("state", {})


def _set_user(request: Request, user: Any = None) -> Any:
    if user is None:
        user = request.app.login_manager.anonymous_user()
    state = _login_state(request)
    state["_login_user"], state["_login_user_id"] = user, _session_user_id(request)
    state["_login_user_session"] = request.scope.get("session")
    loaded(request, state, user)
    return user


def _session_user_id(request: Request) -> Any:
    """The user id the request's session holds: the one a loaded user is kept for. Flask-Login's own login_user or
    logout_user (a test's, in its test_request_context: the session is that context's) changes it without this
    module, and the user is loaded again, where the first one read (anonymous) stayed (flaskbb's hideable-query tests:
    a moderator logged in after the query class read current_user saw no hidden topic)."""
    if "session" not in request.scope:
        return None
    return request.session.get(user_id_key(request.app.login_manager))


def _kept_for(request: Request, state: dict) -> bool:
    """Whether the user kept in ``state`` is this request's: kept for the user id its session holds; or, in the
    test's own request context (no request being served), kept by a request its client made while that context's
    session names no user. Flask-Login's ``current_user`` is ``g._login_user`` whatever the session, and the test's
    context shares ``g`` with the requests of its client (WebTest's, Flask's test client): a test signing in through
    its client, then calling a ``@login_required`` view by hand, is signed in (it met the login redirect)."""
    current = _session_user_id(request)
    if state.get("_login_user_id") == current:
        return True
    other = state.get("_login_user_session") is not request.scope.get("session")
    return current is None and other and _serving.get(None) is None


def _session_protection_failed(request: Request, manager: LoginManager) -> bool:
    session = request.session
    mode = request.app.config.get("SESSION_PROTECTION", manager.session_protection)
    if not mode or mode not in ("basic", "strong"):
        return False
    if session and identifier(manager) != session.get("_id", None):
        if mode == "basic" or session.permanent:
            if session.get("_fresh") is not False:
                session["_fresh"] = False
            return False
        for key in SESSION_KEYS | SESSION_KEYS_04:
            session.pop(key, None)
        session[session_key(manager, "remember")] = "clear"
        return True
    return False


def _load_user(request: Request) -> Any:
    """Flask-Login's ``_load_user``: the user the app set for the request (``login_set_by_app``), else from the
    session, else the remember cookie, else the request loader."""
    state = _login_state(request)
    user = set_by_app(request, state)
    if user is not NOTHING:
        return user
    if "_login_user" in state and _kept_for(request, state):
        return state["_login_user"]
    manager: LoginManager = request.app.login_manager
    by_id, by_request = loaders(manager)
    if by_id is None and by_request is None:
        raise Exception("Missing user_loader or request_loader.")
    if "session" not in request.scope:
        return _set_user(request)
    if _session_protection_failed(request, manager):
        return _set_user(request)
    session, user = request.session, None
    user_id = session.get(user_id_key(manager))
    if user_id is not None and by_id is not None:
        user = by_id(user_id)
    if user is None:
        cookie_name = request.app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
        if cookie_name in request.cookies and session.get(session_key(manager, "remember")) != "clear":
            user = _load_user_from_remember_cookie(request, manager, request.cookies[cookie_name])
        elif by_request is not None:
            user = by_request(request)
    return _set_user(request, user)


def _load_user_from_remember_cookie(request: Request, manager: LoginManager, cookie: str) -> Any:
    user_id = decode_cookie(cookie, request)
    if user_id is None:
        return None
    request.session[session_key(manager, "user_id")] = user_id
    request.session["_fresh"] = False
    by_id = loaders(manager)[0]
    return by_id(user_id) if by_id else None


def _update_remember_cookie(response: Any, request: Request) -> Any:
    """Flask-Login's ``after_request``: set or clear the ``remember_token`` cookie as the session asks."""
    if "session" not in request.scope or getattr(request.app, "login_manager", None) is None:
        return response
    session, config, manager = request.session, request.app.config, request.app.login_manager
    remember, user_id, seconds = (session_key(manager, key) for key in ("remember", "user_id", "remember_seconds"))
    if remember not in session and config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST"):
        session[remember] = "set"
    if remember not in session:
        return response
    operation = session.pop(remember, None)
    name = config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
    domain, path = config.get("REMEMBER_COOKIE_DOMAIN"), config.get("REMEMBER_COOKIE_PATH", "/")
    if operation == "set" and user_id in session:
        if seconds in session:
            duration = timedelta(seconds=session[seconds])
        else:
            duration = config.get("REMEMBER_COOKIE_DURATION", COOKIE_DURATION)
        if isinstance(duration, int):
            duration = timedelta(seconds=duration)
        cookie = dump_cookie(
            name,
            encode_cookie(str(session[user_id]), request),
            expires=datetime.now(UTC).replace(tzinfo=None) + duration,
            domain=domain,
            path=path,
            secure=config.get("REMEMBER_COOKIE_SECURE", False),
            httponly=config.get("REMEMBER_COOKIE_HTTPONLY", True),
            samesite=config.get("REMEMBER_COOKIE_SAMESITE"),
        )
        response.raw_headers.append((b"set-cookie", cookie.encode("latin-1")))
    elif operation == "clear":
        response.raw_headers.append((b"set-cookie", delete_cookie(name, domain=domain, path=path).encode("latin-1")))
    return response


def _current_user() -> Any:
    return _load_user(_request())


current_user = _Proxy(_current_user)
