"""Flask's signed-cookie session on the FastAPI app: the Flask app's cookie, read and written as Flask does.

Same cookie name (``SESSION_COOKIE_NAME``), same signer (itsdangerous ``URLSafeTimedSerializer``, salt
``cookie-session``, HMAC-SHA1 key derivation, ``SECRET_KEY_FALLBACKS``), same payload (Flask's tagged JSON,
zlib-compressed when shorter), same cookie attributes and expiry (``PERMANENT_SESSION_LIFETIME``), so a user
signed in on one stack stays signed in on the other while routes move. End state: Starlette's
``SessionMiddleware`` once no Flask app shares the cookie (it signs differently: every user signs in again).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection

from .cookies import delete_cookie, dump_cookie
from .session_interfaces import open_from_jar, open_with, own_interface, save_with  # noqa: F401 - the test client's
from .tagged_json import session_json_serializer
from .versions import flask_version

UTC = timezone.utc  # noqa: UP017 - datetime.UTC is Python 3.11+; the helpers run on 3.8+

SALT = "cookie-session"


class Session(dict):
    """Flask's ``SecureCookieSession``: a dict that knows when it was read (``accessed``) and changed (``modified``)."""

    modified = False
    accessed = False
    new = False

    @property
    def permanent(self) -> bool:
        return self.get("_permanent", False)

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    def _read(self) -> None:
        self.accessed = True

    def _changed(self) -> None:
        self.accessed = self.modified = True

    def __getitem__(self, key: str) -> Any:
        self._read()
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._read()
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        if any_use_is_access():
            self._read()
        return super().__contains__(key)

    def __setitem__(self, key: str, value: Any) -> None:
        self._changed()
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._changed()
        super().__delitem__(key)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._changed()
        return super().setdefault(key, default)

    def pop(self, key: str, *default: Any) -> Any:
        self._changed()
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, Any]:
        self._changed()
        return super().popitem()

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._changed()
        super().update(*args, **kwargs)

    def clear(self) -> None:
        self._changed()
        super().clear()


class NullSession(Session):
    """No ``SECRET_KEY``: the session reads as empty and refuses writes, with Flask's message."""

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "The session is unavailable because no secret key was set.  Set the secret_key on the"
            " application to something unique and secret."
        )

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail  # type: ignore[assignment]


def any_use_is_access() -> bool:
    """Flask >= 3.1.3 (or no Flask beside the app): any use of the session adds ``Vary: Cookie``; before,
    only reading a key or changing it did (``"key" in session`` did not)."""
    version = flask_version()
    return version is None or version >= (3, 1, 3)


def lifetime(config: Any) -> timedelta:
    value = config.get("PERMANENT_SESSION_LIFETIME", timedelta(days=31))
    return value if isinstance(value, timedelta) else timedelta(seconds=int(value))


def signing_serializer(config: Any, secret_key: Any = None) -> Any:
    """Flask's ``URLSafeTimedSerializer`` for the session cookie, or None without a secret key."""
    from itsdangerous import URLSafeTimedSerializer

    key = secret_key or config.get("SECRET_KEY")
    if not key:
        return None
    fallbacks = list(config.get("SECRET_KEY_FALLBACKS") or [])
    return URLSafeTimedSerializer(
        [*fallbacks, key] if fallbacks else key,  # itsdangerous >= 2.0 for a list: the current key last
        salt=SALT,
        serializer=session_json_serializer,
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )


def open_session(config: Any, cookies: dict, secret_key: Any = None) -> Session:
    from itsdangerous import BadSignature

    serializer = signing_serializer(config, secret_key)
    if serializer is None:
        return NullSession()
    value = cookies.get(config.get("SESSION_COOKIE_NAME") or "session")
    if not value:
        return Session()
    try:
        return Session(serializer.loads(value, max_age=int(lifetime(config).total_seconds())))
    except BadSignature:
        return Session()


def add_vary_cookie(headers: MutableHeaders) -> None:
    vary = headers.get("vary")
    if vary is None:
        headers["Vary"] = "Cookie"
    elif "cookie" not in {part.strip().lower() for part in vary.split(",")}:
        headers["Vary"] = f"{vary}, Cookie"


def save_session(config: Any, session: Session, headers: MutableHeaders, secret_key: Any = None) -> None:
    """Flask's ``save_session``: ``Vary: Cookie`` when read, the cookie set when changed, deleted when emptied."""
    if isinstance(session, NullSession):
        return
    name = config.get("SESSION_COOKIE_NAME") or "session"
    attributes = {
        "domain": config.get("SESSION_COOKIE_DOMAIN"),
        "path": config.get("SESSION_COOKIE_PATH") or config.get("APPLICATION_ROOT") or "/",
        "secure": bool(config.get("SESSION_COOKIE_SECURE", False)),
        "partitioned": bool(config.get("SESSION_COOKIE_PARTITIONED", False)),
        "samesite": config.get("SESSION_COOKIE_SAMESITE"),
        "httponly": bool(config.get("SESSION_COOKIE_HTTPONLY", True)),
    }
    if session.accessed:
        add_vary_cookie(headers)
    if not session:
        if session.modified:
            headers.append("set-cookie", delete_cookie(name, **attributes))
            add_vary_cookie(headers)
        return
    refresh = session.permanent and config.get("SESSION_REFRESH_EACH_REQUEST", True)
    if not (session.modified or refresh):
        return
    expires = datetime.now(UTC) + lifetime(config) if session.permanent else None
    value = signing_serializer(config, secret_key).dumps(dict(session))
    headers.append("set-cookie", dump_cookie(name, value, expires=expires, **attributes))
    add_vary_cookie(headers)


class FlaskSessions:
    """ASGI middleware: ``scope["session"]`` is the Flask app's session, saved when the response starts."""

    def __init__(self, app: Any, flask_app: Any):
        self.app, self.flask_app = app, flask_app

    def _key(self) -> Any:
        return getattr(self.flask_app, "secret_key", None) or self.flask_app.config.get("SECRET_KEY")

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        config, key = self.flask_app.config, self._key()
        interface = own_interface(self.flask_app)  # the app's own (a server-side store), else Flask's cookie
        if interface is not None:
            scope["session"] = open_with(interface, self.flask_app, scope)
        else:
            scope["session"] = open_session(config, HTTPConnection(scope).cookies, key)

        async def send_with_cookie(message):
            if message["type"] == "http.response.start" and interface is not None:
                save_with(interface, self.flask_app, scope["session"], MutableHeaders(scope=message))
            elif message["type"] == "http.response.start":
                save_session(config, scope["session"], MutableHeaders(scope=message), key)
            await send(message)

        await self.app(scope, receive, send_with_cookie if scope["type"] == "http" else send)
