"""The HTML pages on the FastAPI stack: sign-in, the dashboard, archive configurations.

Twin of ``admin_assistant.sync.web.pages``; both render the shared templates with the context
``admin_assistant.presentation.pages`` builds, so a page reads the same whichever stack serves it.
Every form carries the session's CSRF token; a post without it is refused with a 403.
"""

# no 'from __future__ import annotations': FastAPI reads the route signatures, whose
# ``web.ApiUser`` is a local name that a string annotation could not resolve.

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from admin_assistant.aio.web.auth import Web
from admin_assistant.domain.errors import NotFound
from admin_assistant.domain.models import User
from admin_assistant.presentation import pages
from admin_assistant.presentation.webcommon import NO_STORE, Session, WebError, error_for, render

SIGN_IN = "/sign-in"


def routes(web: Web) -> APIRouter:
    router = APIRouter(tags=["pages"], include_in_schema=False)
    services = web.services

    def html(template: str, session: Session, status: int = 200, **context: object) -> Response:
        body = render(template, csrf_token=web.codec.csrf_token(session), **context)
        return Response(body, status_code=status, media_type="text/html", headers=dict([NO_STORE]))

    def see_other(location: str) -> Response:
        return RedirectResponse(location, status_code=303)

    async def signed_in(request: Request) -> tuple[User, Session] | Response:
        user, session = await web.page_user(request)
        if user is None or session is None:
            return see_other(SIGN_IN)
        return user, session

    @router.get(SIGN_IN)
    async def sign_in_form(request: Request) -> Response:
        user, session = await web.page_user(request)
        if user is not None:
            return see_other("/")
        fresh = session is None
        session = session or Session.fresh()
        response = html("sign_in.html", session, user=None, email="")
        return web.set_session(request, response, session) if fresh else response

    @router.post(SIGN_IN)
    async def sign_in(request: Request) -> Response:
        session = web.session(request)
        form = await request.form()
        web.check_form(session, form)
        assert session is not None
        email = str(form.get("email", "")).strip()
        try:
            user = await services.users.authenticate_token(str(form.get("token", "")))
        except NotFound:
            user = None
        if user is None or user.email != email.lower():
            return html("sign_in.html", session, 401, user=None, email=email, problem="Unknown email or API token.")
        return web.set_session(request, see_other("/"), Session.fresh(user.id))

    @router.post("/sign-out")
    async def sign_out(request: Request) -> Response:
        web.check_form(web.session(request), await request.form())
        return web.set_session(request, see_other(SIGN_IN), Session.fresh())

    @router.get("/")
    async def dashboard(request: Request) -> Response:
        found = await signed_in(request)
        if isinstance(found, Response):
            return found
        user, session = found
        today, _tomorrow, until = pages.dashboard_window(user.timezone)
        calendars = pages.source_calendars(await services.calendars.list(user.id))
        by_calendar = [(c, await services.appointments.list(user.id, c.id, start=today, end=until)) for c in calendars]
        runs = await services.archive.runs(user.id, limit=pages.RECENT_RUNS)
        configurations = await services.archive_configurations.list(user.id, limit=None)
        return html("dashboard.html", session, **pages.dashboard_context(user, by_calendar, runs, configurations))

    async def configurations_page(
        user: User, session: Session, status: int = 200, problem: str | None = None
    ) -> Response:
        configurations = await services.archive_configurations.list(user.id, limit=None)
        calendars = await services.calendars.list(user.id, limit=None)
        context = pages.configurations_context(user, configurations, calendars)
        return html("archive_configurations.html", session, status, problem=problem, **context)

    @router.get("/archive-configurations")
    async def configurations(request: Request) -> Response:
        found = await signed_in(request)
        if isinstance(found, Response):
            return found
        return await configurations_page(*found)

    async def form_action(request: Request, action: Callable[[User, Any], Awaitable[None]]) -> Response | None:
        """Sign-in and CSRF first; a refused action re-renders the page with the reason."""
        found = await signed_in(request)
        if isinstance(found, Response):
            return found
        user, session = found
        form = await request.form()
        web.check_form(session, form)
        try:
            await action(user, form)
        except Exception as exc:
            known = error_for(exc)
            if known is None or isinstance(known, WebError) and known.status >= 500:
                raise
            return await configurations_page(user, session, known.status, known.message)
        return None

    @router.post("/archive-configurations")
    async def create_configuration(request: Request) -> Response:
        async def create(user: User, form: Any) -> None:
            body = pages.configuration_form(form)
            await services.archive_configurations.create(user.id, **body.model_dump())

        return await form_action(request, create) or see_other("/archive-configurations")

    @router.post("/archive-configurations/{configuration_id}/run")
    async def run_configuration(request: Request, configuration_id: int) -> Response:
        async def run(user: User, form: Any) -> None:
            body = pages.run_form(form)
            await services.archive.archive(user.id, configuration_id, body.date_range, replace=body.replace)

        return await form_action(request, run) or see_other("/")

    @router.post("/archive-configurations/{configuration_id}/{verb}")
    async def change_configuration(
        request: Request, configuration_id: int, verb: Literal["activate", "deactivate", "delete"]
    ) -> Response:
        async def change(user: User, _form: Any) -> None:
            await getattr(services.archive_configurations, verb)(user.id, configuration_id)

        return await form_action(request, change) or see_other("/archive-configurations")

    return router
