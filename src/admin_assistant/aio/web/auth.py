"""Who is calling, on the FastAPI stack: a bearer token or the shared session cookie, and CSRF.

Twin of ``admin_assistant.sync.web.auth``. Routes take the caller as a dependency
(``user: web.ApiUser``); the security schemes are declared so the OpenAPI document shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.security import APIKeyCookie, HTTPBearer

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

bearer_scheme = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer <token>`.")
cookie_scheme = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    description=f"The session cookie set by signing in; writes also need the `{CSRF_HEADER}` header.",
)


@dataclass
class Web:
    """What every router is built with: the services (async call style) and the cookie codec."""

    services: Any
    codec: SessionCodec
    ApiUser: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        async def api_user(
            request: Request,
            _bearer: Annotated[Any, Depends(bearer_scheme)] = None,
            _cookie: Annotated[Any, Depends(cookie_scheme)] = None,
        ) -> User:
            return await self.api_user(request)

        self.ApiUser = Annotated[User, Depends(api_user)]

    def session(self, request: Request) -> Session | None:
        return self.codec.load(request.cookies.get(SESSION_COOKIE))

    async def api_user(self, request: Request) -> User:
        """The caller of an API route: bearer token first, else the session cookie (with CSRF on writes)."""
        token = bearer_token(request.headers.get("authorization"))
        if token is not None:
            if not token:
                raise unauthorized("malformed Authorization header; send 'Bearer <token>'")
            user = api_tokens.get(token)
            if user is not None:
                return user
            try:
                user = await self.services.users.authenticate_token(token)
            except NotFound:
                raise unauthorized("unknown or revoked API token") from None
            api_tokens.put(token, user)
            return user
        session = self.session(request)
        if session is None or session.user_id is None:
            raise unauthorized()
        user = await self._session_user(session)
        if request.method not in SAFE_METHODS and not self.codec.csrf_ok(session, request.headers.get(CSRF_HEADER)):
            raise csrf_refused()
        return user

    async def page_user(self, request: Request) -> tuple[User | None, Session | None]:
        """The signed-in user of a page (None when signed out) and the session, if any."""
        session = self.session(request)
        if session is None or session.user_id is None:
            return None, session
        try:
            return await self._session_user(session), session
        except WebError:
            return None, None

    def check_form(self, session: Session | None, form: Any) -> None:
        if not self.codec.csrf_ok(session, form.get(CSRF_FIELD)):
            raise csrf_refused()

    def set_session(self, request: Request, response: Response, session: Session) -> Response:
        response.set_cookie(
            SESSION_COOKIE, self.codec.dump(session), **cookie_options(secure=request.url.scheme == "https")
        )
        return response

    async def _session_user(self, session: Session) -> User:
        try:
            return await self.services.users.get(session.user_id)
        except NotFound:
            raise unauthorized("your session has ended; sign in again") from None
