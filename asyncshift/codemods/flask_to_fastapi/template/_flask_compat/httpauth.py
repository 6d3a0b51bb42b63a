"""Flask-HTTPAuth's ``HTTPBasicAuth``, ``HTTPDigestAuth``, ``HTTPTokenAuth`` and ``MultiAuth`` over the current request.

The app's callbacks and decorators give the same answers; end state: a fastapi.security HTTPBasic/HTTPBearer dependency.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from .context import _context_data, _request, session
from .responses import make_response
from .versions import installed_version


async def _run(fn: Callable, *args: Any) -> Any:
    """Async callbacks are awaited; blocking ones run in the thread pool, as FastAPI runs def views."""
    if inspect.iscoroutinefunction(fn):
        return await fn(*args)
    return await run_in_threadpool(fn, *args)


class _Authorization:
    def __init__(self, type: str, username: str | None = None, password: str | None = None, token: str | None = None):
        self.type, self.username, self.password, self.token = type, username, password, token

    def __bool__(self) -> bool:
        return True


class HTTPAuth:
    """Flask-HTTPAuth's base class over the current request: same callbacks, same answers."""

    def __init__(self, scheme: str | None = None, realm: str | None = None, header: str | None = None):
        self.scheme, self.realm, self.header = scheme, realm or "Authentication Required", header
        self.get_password_callback: Callable = lambda username: None
        self.get_user_roles_callback: Callable | None = None
        self.error_handler(lambda status: ("Unauthorized Access", status))

    def is_compatible_auth(self, headers: Any) -> bool:
        if self.header is None or self.header == "Authorization":
            try:
                scheme, _ = headers.get("Authorization", "").split(None, 1)
            except ValueError:
                return False
            return scheme == self.scheme
        return self.header in headers

    def get_password(self, f: Callable) -> Callable:
        self.get_password_callback = f
        return f

    def get_user_roles(self, f: Callable) -> Callable:
        self.get_user_roles_callback = f
        return f

    def error_handler(self, f: Callable) -> Callable:
        async def decorated(*args: Any) -> Response:
            rv = await _run(f, *args)
            check_status = not isinstance(rv, (tuple, Response))
            response = make_response(rv)
            if check_status and response.status_code == 200:
                response.status_code = 401
            if "www-authenticate" not in response.headers:
                response.headers["WWW-Authenticate"] = self.authenticate_header()
            return response

        self.auth_error_callback = decorated
        return f

    def authenticate_header(self) -> str:
        return f'{self.scheme} realm="{self.realm}"'

    def get_auth(self) -> _Authorization | None:
        headers = _request().headers
        if self.header is None or self.header == "Authorization":
            try:
                kind, token = headers.get("Authorization", "").split(None, 1)
            except ValueError:
                return None
            auth = _Authorization(kind, token=token)
        elif self.header in headers:
            auth = _Authorization(self.scheme, token=headers[self.header])
        else:
            return None
        return auth if auth.type.lower() == (self.scheme or "").lower() else None

    async def _password(self, auth: _Authorization | None) -> Any:
        return await _run(self.get_password_callback, auth.username) if auth and auth.username else None

    async def authorize(self, role: Any, user: Any, auth: Any) -> bool:
        if role is None:
            return True
        roles = role if isinstance(role, (list, tuple)) else [role]
        user_roles = await _run(self.get_user_roles_callback, auth if user is True else user)
        user_roles = (
            set()
            if user_roles is None
            else ({user_roles} if not isinstance(user_roles, (list, tuple)) else set(user_roles))
        )
        return any(set(r) <= user_roles if isinstance(r, (list, tuple)) else r in user_roles for r in roles)

    def login_required(self, f: Callable | None = None, role: Any = None, optional: Any = None) -> Callable:
        def wrap(view: Callable) -> Callable:
            @functools.wraps(view)
            async def decorated(*args: Any, **kwargs: Any) -> Any:
                request = _request()
                if request.method != "OPTIONS":
                    auth = self.get_auth()
                    user = await self.authenticate(auth, await self._password(auth))
                    status = 401 if user in (False, None) else (None if await self.authorize(role, user, auth) else 403)
                    if status and not optional:
                        try:
                            return await self.auth_error_callback(status)
                        except TypeError:
                            return await self.auth_error_callback()
                    _context_data()["flask_httpauth_user"] = (
                        user if user is not True else (auth.username if auth else None)
                    )
                if inspect.iscoroutinefunction(view):
                    return await view(*args, **kwargs)
                return await run_in_threadpool(view, *args, **kwargs)

            return decorated

        return wrap(f) if f else wrap

    def username(self) -> str:
        auth = self.get_auth()
        return auth.username if auth else ""

    def current_user(self) -> Any:
        return _context_data().get("flask_httpauth_user")


class HTTPBasicAuth(HTTPAuth):
    def __init__(self, scheme: str | None = None, realm: str | None = None):
        super().__init__(scheme or "Basic", realm)
        self.hash_password_callback: Callable | None = None
        self.verify_password_callback: Callable | None = None

    def hash_password(self, f: Callable) -> Callable:
        self.hash_password_callback = f
        return f

    def verify_password(self, f: Callable) -> Callable:
        self.verify_password_callback = f
        return f

    def get_auth(self) -> _Authorization | None:
        import base64

        value = _request().headers.get(self.header or "Authorization")
        if value is None:
            return None
        try:
            scheme, credentials = value.encode("utf-8").split(b" ", 1)
            raw_user, raw_password = base64.b64decode(credentials).split(b":", 1)
        except (ValueError, TypeError):
            return None
        try:
            username, password = raw_user.decode("utf-8"), raw_password.decode("utf-8")
        except UnicodeDecodeError:
            username, password = raw_user.decode("latin1"), raw_password.decode("latin1")
        return _Authorization(scheme.decode("latin1"), username, password)

    async def authenticate(self, auth: _Authorization | None, stored_password: Any) -> Any:
        import hmac

        username, client_password = (auth.username, auth.password) if auth else ("", "")
        if self.verify_password_callback:
            return await _run(self.verify_password_callback, username, client_password)
        if not auth:
            return None
        if self.hash_password_callback:
            try:
                client_password = await _run(self.hash_password_callback, client_password)
            except TypeError:
                client_password = await _run(self.hash_password_callback, username, client_password)
        ok = (
            client_password is not None
            and stored_password is not None
            and hmac.compare_digest(client_password, stored_password)
        )
        return auth.username if ok else None


class HTTPDigestAuth(HTTPAuth):
    """Flask-HTTPAuth's digest auth: nonce and opaque kept in the session (or your callbacks).

    MD5 or MD5-Sess, qop=auth.
    """

    def __init__(
        self,
        scheme: str | None = None,
        realm: str | None = None,
        use_ha1_pw: bool = False,
        qop: Any = "auth",
        algorithm: str = "MD5",
    ):
        import hashlib
        import hmac
        import random

        super().__init__(scheme or "Digest", realm)
        self.use_ha1_pw = use_ha1_pw
        self.qop = [v.strip() for v in qop.split(",")] if isinstance(qop, str) else qop
        if algorithm.lower() == "md5":
            self.algorithm = "MD5"
        elif algorithm.lower() == "md5-sess":
            self.algorithm = "MD5-Sess"
        else:
            raise ValueError(f"Algorithm {algorithm} is not supported")
        self.random = random.SystemRandom()

        def generate() -> str:
            return hashlib.md5(str(self.random.random()).encode("utf-8")).hexdigest()

        def stored(key: str) -> Callable:
            def verify(value: Any) -> bool:
                kept = session.get(key)
                return value is not None and kept is not None and hmac.compare_digest(value, kept)

            return verify

        def new(key: str) -> Callable:
            def make() -> str:
                session[key] = generate()
                return session[key]

            return make

        self.generate_nonce(new("auth_nonce"))
        self.generate_opaque(new("auth_opaque"))
        self.verify_nonce(stored("auth_nonce"))
        self.verify_opaque(stored("auth_opaque"))

    def generate_nonce(self, f: Callable) -> Callable:
        self.generate_nonce_callback = f
        return f

    def verify_nonce(self, f: Callable) -> Callable:
        self.verify_nonce_callback = f
        return f

    def generate_opaque(self, f: Callable) -> Callable:
        self.generate_opaque_callback = f
        return f

    def verify_opaque(self, f: Callable) -> Callable:
        self.verify_opaque_callback = f
        return f

    def get_nonce(self) -> str:
        return self.generate_nonce_callback()

    def get_opaque(self) -> str:
        return self.generate_opaque_callback()

    def generate_ha1(self, username: str, password: str) -> str:
        import hashlib

        return hashlib.md5(f"{username}:{self.realm}:{password}".encode()).hexdigest()

    def authenticate_header(self) -> str:
        nonce, opaque = self.get_nonce(), self.get_opaque()
        header = f'{self.scheme} realm="{self.realm}",nonce="{nonce}",opaque="{opaque}"'
        return header + f',algorithm="{self.algorithm}",qop="{",".join(self.qop)}"' if self.qop else header

    def get_auth(self) -> _Authorization | None:
        from urllib.request import parse_http_list, parse_keqv_list

        value = _request().headers.get("Authorization")
        if value is None:
            return None
        try:
            kind, rest = value.split(None, 1)
        except ValueError:
            return None
        if kind.lower() != (self.scheme or "").lower():
            return None
        try:
            fields = parse_keqv_list(parse_http_list(rest))
        except ValueError:
            fields = {}
        auth = _Authorization(kind, fields.get("username"))
        for key in ("realm", "uri", "nonce", "response", "opaque", "qop", "nc", "cnonce"):
            setattr(auth, key, fields.get(key))
        return auth

    async def authenticate(self, auth: _Authorization | None, stored_password_or_ha1: Any) -> Any:
        import hashlib
        import hmac

        md5 = lambda text: hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: E731
        if (
            not auth
            or not auth.username
            or not auth.realm
            or not auth.uri
            or not auth.nonce
            or not auth.response
            or not stored_password_or_ha1
        ):
            return False
        if not await _run(self.verify_nonce_callback, auth.nonce) or not await _run(
            self.verify_opaque_callback, auth.opaque
        ):
            return False
        if auth.qop and auth.qop not in (self.qop or []):
            return False
        ha1 = (
            stored_password_or_ha1 if self.use_ha1_pw else md5(f"{auth.username}:{auth.realm}:{stored_password_or_ha1}")
        )
        if self.algorithm == "MD5-Sess":
            ha1 = md5(f"{ha1}:{auth.nonce}:{auth.cnonce}")
        ha2 = md5(f"{_request().method}:{auth.uri}")
        if auth.qop == "auth":
            expected = md5(f"{ha1}:{auth.nonce}:{auth.nc}:{auth.cnonce}:auth:{ha2}")
        else:
            expected = md5(f"{ha1}:{auth.nonce}:{ha2}")
        return hmac.compare_digest(expected, auth.response)


class HTTPTokenAuth(HTTPAuth):
    def __init__(self, scheme: str = "Bearer", realm: str | None = None, header: str | None = None):
        super().__init__(scheme, realm, header)
        self.verify_token_callback: Callable | None = None

    def verify_token(self, f: Callable) -> Callable:
        self.verify_token_callback = f
        return f

    async def authenticate(self, auth: _Authorization | None, stored_password: Any) -> Any:
        token = getattr(auth, "token", None)
        if self.verify_token_callback and (token or _verifies_missing_tokens()):
            return await _run(self.verify_token_callback, token or "")
        return None


def _verifies_missing_tokens() -> bool:
    """Before Flask-HTTPAuth 4.8.1 ``verify_token`` also ran with ``""`` when the request had no token (an app
    may let it in: a DISABLE_AUTH switch); from 4.8.1 such a request is refused without asking it."""
    version = installed_version("flask-httpauth")
    return version is not None and version < (4, 8, 1)


class MultiAuth:
    """Tries the first auth whose scheme the request uses, else the main one."""

    def __init__(self, main_auth: HTTPAuth, *additional_auths: HTTPAuth):
        self.main_auth, self.additional_auths = main_auth, additional_auths

    def login_required(self, f: Callable | None = None, role: Any = None, optional: Any = None) -> Callable:
        def wrap(view: Callable) -> Callable:
            @functools.wraps(view)
            async def decorated(*args: Any, **kwargs: Any) -> Any:
                headers = _request().headers
                selected = next(
                    (
                        a
                        for a in self.additional_auths
                        if not self.main_auth.is_compatible_auth(headers) and a.is_compatible_auth(headers)
                    ),
                    self.main_auth,
                )
                return await selected.login_required(role=role, optional=optional)(view)(*args, **kwargs)

            return decorated

        return wrap(f) if f else wrap

    def current_user(self) -> Any:
        return _context_data().get("flask_httpauth_user")
