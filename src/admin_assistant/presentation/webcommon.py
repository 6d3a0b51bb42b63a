"""What both web stacks share, so a request is answered the same whichever side serves it.

One session cookie format (itsdangerous, signed with one secret key), one CSRF rule, one error
body, one set of security headers, one JSON encoding and one Jinja environment. A signed-in user
stays signed in when a route moves from Flask to FastAPI, because both read the same cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import Environment, FileSystemLoader, select_autoescape

from admin_assistant.domain.errors import DomainError, Duplicate, Invalid, NotFound

log = logging.getLogger("admin_assistant.web")

SECRET_ENV = "ADMIN_ASSISTANT_SECRET_KEY"
SESSION_COOKIE = "aa_session"
SESSION_MAX_AGE = 14 * 24 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = TEMPLATES_DIR / "static"

# ------------------------------------------------------------------------------------ secret key


def secret_key(data_dir: str | os.PathLike | None = None) -> str:
    """``$ADMIN_ASSISTANT_SECRET_KEY``, else a key generated once into the data directory.

    A file (mode 0600) rather than a per-process random key, so sessions survive restarts and
    every worker process signs with the same key.
    """
    configured = os.environ.get(SECRET_ENV, "").strip()
    if configured:
        return configured
    folder = Path(data_dir) if data_dir else Path(platformdirs.user_data_dir("admin-assistant"))
    path = folder / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:  # O_EXCL: two workers starting at once agree on one key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


# --------------------------------------------------------------------------------------- session


@dataclass(frozen=True)
class Session:
    """What the cookie holds: who is signed in (None before sign-in) and the CSRF seed."""

    user_id: int | None
    seed: str

    @classmethod
    def fresh(cls, user_id: int | None = None) -> Session:
        return cls(user_id=user_id, seed=secrets.token_urlsafe(16))


class SessionCodec:
    """Signs and reads the session cookie, and derives the session's CSRF token.

    The CSRF token is an HMAC of the session's seed: deterministic for one session (so both stacks
    render the same page) and useless without the secret key.
    """

    def __init__(self, secret: str, *, max_age: int = SESSION_MAX_AGE) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="admin-assistant.session")
        self._csrf_key = hashlib.sha256(b"admin-assistant.csrf:" + secret.encode("utf-8")).digest()
        self.max_age = max_age

    def dump(self, session: Session) -> str:
        return self._serializer.dumps({"u": session.user_id, "s": session.seed})

    def load(self, cookie: str | None) -> Session | None:
        """The session in a cookie; None when it is missing, expired, tampered with or malformed."""
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=self.max_age)
        except (BadSignature, ValueError, TypeError):
            return None
        if not isinstance(data, dict):
            return None
        user_id, seed = data.get("u"), data.get("s")
        if not isinstance(seed, str) or not (
            user_id is None or (isinstance(user_id, int) and not isinstance(user_id, bool))
        ):
            return None
        return Session(user_id=user_id, seed=seed)

    def csrf_token(self, session: Session) -> str:
        return hmac.new(self._csrf_key, session.seed.encode("utf-8"), hashlib.sha256).hexdigest()

    def csrf_ok(self, session: Session | None, given: str | None) -> bool:
        if session is None or not given:
            return False
        return hmac.compare_digest(self.csrf_token(session), given)


def cookie_options(*, secure: bool, max_age: int = SESSION_MAX_AGE) -> dict[str, Any]:
    """The same attributes on both stacks: HttpOnly, SameSite=Lax, Secure over HTTPS."""
    return {"max_age": max_age, "path": "/", "httponly": True, "samesite": "lax", "secure": secure}


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; "" when the header is malformed."""
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return ""
    return token.strip()


class TokenCache:
    """Whose an API token is, remembered for ``ttl`` seconds in this process (both stacks share it).

    Scripts send the same token on every request; this saves each of them the lookup (a unit of
    work and a database round trip). Only found tokens are kept, by their hash. Rotating a token
    through the web forgets its owner's entries at once in this process; a token rotated or
    revoked elsewhere (another worker, the command line) stops working here within ``ttl``.
    The user kept is a detached, read-only snapshot: routes read it, they never change it.
    """

    def __init__(self, ttl: float = 2.0, size: int = 4096) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: dict[str, tuple[float, Any]] = {}

    def get(self, token: str) -> Any | None:
        entry = self._entries.get(_token_key(token))
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, token: str, user: Any) -> None:
        if len(self._entries) >= self.size:
            now = time.monotonic()
            self._entries = {k: v for k, v in self._entries.items() if v[0] >= now}
            if len(self._entries) >= self.size:
                self._entries.clear()
        self._entries[_token_key(token)] = (time.monotonic() + self.ttl, user)

    def forget_user(self, user_id: int) -> None:
        self._entries = {k: v for k, v in self._entries.items() if getattr(v[1], "id", None) != user_id}

    def clear(self) -> None:
        self._entries = {}


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


api_tokens = TokenCache()


# ---------------------------------------------------------------------------------------- errors

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    500: "internal_error",
}


class WebError(Exception):
    """An error the web layer answers with as it is (status, code, message)."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or ERROR_CODES.get(status, "error")
        self.message = message


def unauthorized(message: str = "sign in, or send 'Authorization: Bearer <token>'") -> WebError:
    return WebError(401, message)


def csrf_refused() -> WebError:
    return WebError(
        403, f"missing or wrong CSRF token (send the '{CSRF_FIELD}' field or the '{CSRF_HEADER}' header)", "csrf_failed"
    )


def malformed_json(detail: str = "") -> WebError:
    return WebError(400, "the request body is not valid JSON" + (f" ({detail})" if detail else ""), "malformed_json")


def error_for(exc: BaseException) -> WebError | None:
    """The web answer for a domain or web error; None for anything unexpected (a 500)."""
    if isinstance(exc, WebError):
        return exc
    if isinstance(exc, NotFound):
        return WebError(404, f"{exc.kind} not found")
    if isinstance(exc, Duplicate):
        return WebError(409, str(exc))
    if isinstance(exc, Invalid):
        return WebError(422, str(exc))
    if isinstance(exc, DomainError):
        return WebError(422, str(exc))
    return None


def error_body(status: int, code: str, message: str, error_id: str | None = None) -> dict[str, Any]:
    """``{"error": {"status", "code", "message", "id"}}``; ``id`` is set for server errors only."""
    return {"error": {"status": status, "code": code, "message": message, "id": error_id}}


def internal_error(exc: BaseException, where: str) -> dict[str, Any]:
    """Log ``exc`` with a new error id and return the body a client sees: no trace, just the id."""
    error_id = uuid.uuid4().hex[:16]
    log.error("unexpected error %s in %s", error_id, where, exc_info=(type(exc), exc, exc.__traceback__))
    return error_body(500, ERROR_CODES[500], f"internal error; quote id {error_id} when reporting it", error_id)


def validation_message(errors: Sequence[Mapping[str, Any]]) -> str:
    """Pydantic errors as one line, the same for Flask (``model_validate``) and FastAPI (``body``,
    ``query``, ``path`` prefixes dropped)."""
    parts = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        where = ".".join(loc)
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


def is_json_syntax_error(errors: Iterable[Mapping[str, Any]]) -> bool:
    return any(error.get("type") == "json_invalid" for error in errors)


# ------------------------------------------------------------------------------- responses, pages


def json_bytes(data: Any) -> bytes:
    """Exactly what Starlette's ``JSONResponse`` writes, so both stacks send the same bytes."""
    return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode("utf-8")


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def security_headers(*, https: bool) -> list[tuple[str, str]]:
    """The headers a careful Flask app sets (as Flask-Talisman would); HSTS only over HTTPS."""
    headers = [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if https:
        headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    return headers


NO_STORE = ("Cache-Control", "no-store")


def _format_time(value: dt.datetime | None, tz: str = "UTC", fmt: str = "%a %d %b %H:%M") -> str:
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    return value.astimezone(ZoneInfo(tz)).strftime(fmt)


templates = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=select_autoescape(("html",), default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["localtime"] = _format_time


def render(name: str, **context: Any) -> str:
    """One template rendered the same for both stacks (never Flask's or Starlette's own engine)."""
    return templates.get_template(name).render(**context)
