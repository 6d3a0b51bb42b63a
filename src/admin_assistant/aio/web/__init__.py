"""The FastAPI web app (the new stack): the JSON API and the pages, one router per resource.

``create_app(application)`` takes the assembled application (``admin_assistant.wiring.app``)
and awaits its services (``application.aio.<service>``). Twin of ``admin_assistant.sync.web``:
same modules, same routes, same answers; each route's tag is its resource, which is how the
strangler names its target (``web.routes.<tag>``).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from admin_assistant import __version__
from admin_assistant.aio.web import appointments, archive, archive_configurations, calendars, docs, errors, pages, users
from admin_assistant.aio.web.auth import Web
from admin_assistant.domain import isolation
from admin_assistant.presentation.webcommon import STATIC_DIR, SessionCodec, secret_key, security_headers


def create_app(application: Any, *, secret: str | None = None) -> FastAPI:
    isolation.warm_up()  # uploads are read in child processes: the first should not wait for their server
    app = FastAPI(
        title="admin-assistant",
        version=__version__,
        description="Calendars of appointments, and their archive. Authenticate with "
        "`Authorization: Bearer <token>` or the session cookie set by signing in.",
        docs_url=None,  # docs.mount: Swagger UI from a package, not a CDN the CSP blocks
        redoc_url=None,  # ReDoc would need its CDN too
    )
    web = Web(services=application.aio, codec=SessionCodec(secret or secret_key()))
    for module in (users, calendars, appointments, archive_configurations, archive, pages):
        app.include_router(module.routes(web))
    docs.mount(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    errors.register(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    app.state.web = web
    return app


class HeadAsGet:
    """HEAD answers as GET does, without the body, as on the Flask stack (Werkzeug does it there;
    FastAPI's routes answer only the methods they declare). The headers, ``content-length``
    included, are those of the GET."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


class SecurityHeaders:
    """The same headers as the Flask stack's ``after_request``; a plain ASGI middleware (cheap)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.plain = [(k.lower().encode(), v.encode()) for k, v in security_headers(https=False)]
        self.secure = [(k.lower().encode(), v.encode()) for k, v in security_headers(https=True)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.secure if scope.get("scheme") == "https" else self.plain

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, add_headers)
