"""Who is calling, on the Flask stack: a bearer token or the shared session cookie, and CSRF.

Twin of ``admin_assistant.aio.web.auth``. Views get the caller from ``web.api_user()`` or
``web.page_user()`` at their top and pass the user on; nothing reads ``flask.g`` deep inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, request

from admin_assistant.domain.errors import NotFound
from admin_assistant.domain.models import User
from admin_assistant.presentation.webcommon import (
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
    SESSION_COOKIE,
    Session,
    SessionCodec,
    WebError,
    api_tokens,
    bearer_token,
    cookie_options,
    csrf_refused,
    unauthorized,
)


@dataclass
class Web:
    """What every blueprint is built with: the services (sync call style) and the cookie codec."""

    services: Any
    codec: SessionCodec

    def session(self) -> Session | None:
        return self.codec.load(request.cookies.get(SESSION_COOKIE))

    def api_user(self) -> User:
        """The caller of an API route: bearer token first, else the session cookie (with CSRF on writes)."""
        token = bearer_token(request.headers.get("Authorization"))
        if token is not None:
            if not token:
                raise unauthorized("malformed Authorization header; send 'Bearer <token>'")
            user = api_tokens.get(token)
            if user is not None:
                return user
            try:
                user = self.services.users.authenticate_token(token)
            except NotFound:
                raise unauthorized("unknown or revoked API token") from None
            api_tokens.put(token, user)
            return user
        session = self.session()
        if session is None or session.user_id is None:
            raise unauthorized()
        user = self._session_user(session)
        if request.method not in SAFE_METHODS and not self.codec.csrf_ok(session, request.headers.get(CSRF_HEADER)):
            raise csrf_refused()
        return user

    def page_user(self) -> tuple[User | None, Session | None]:
        """The signed-in user of a page (None when signed out) and the session, if any."""
        session = self.session()
        if session is None or session.user_id is None:
            return None, session
        try:
            return self._session_user(session), session
        except WebError:
            return None, None

    def check_form(self, session: Session | None) -> None:
        if not self.codec.csrf_ok(session, request.form.get(CSRF_FIELD)):
            raise csrf_refused()

    def set_session(self, response: Response, session: Session) -> Response:
        response.set_cookie(SESSION_COOKIE, self.codec.dump(session), **cookie_options(secure=request.is_secure))
        return response

    def _session_user(self, session: Session) -> User:
        try:
            return self.services.users.get(session.user_id)
        except NotFound:
            raise unauthorized("your session has ended; sign in again") from None
