"""The HTML pages on the Flask stack: sign-in, the dashboard, archive configurations.

Twin of ``admin_assistant.aio.web.pages``; both render the shared templates with the context
``admin_assistant.presentation.pages`` builds, so a page reads the same whichever stack serves it.
Every form carries the session's CSRF token; a post without it is refused with a 403.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from admin_assistant.domain.errors import NotFound
from admin_assistant.domain.models import User
from admin_assistant.presentation import pages
from admin_assistant.presentation.webcommon import NO_STORE, Session, WebError, error_for, render
from admin_assistant.sync.web.auth import Web

SIGN_IN = "/sign-in"


def routes(web: Web) -> Blueprint:
    bp = Blueprint("pages", __name__)
    services = web.services

    def html(template: str, session: Session, status: int = 200, **context: object) -> Response:
        response = Response(
            render(template, csrf_token=web.codec.csrf_token(session), **context), status=status, mimetype="text/html"
        )
        response.headers[NO_STORE[0]] = NO_STORE[1]
        return response

    def see_other(location: str) -> Response:
        return Response(status=303, headers={"Location": location})  # no body, like Starlette's

    def signed_in() -> tuple[User, Session] | Response:
        user, session = web.page_user()
        if user is None or session is None:
            return see_other(SIGN_IN)
        return user, session

    @bp.get(SIGN_IN)
    def sign_in_form() -> Response:
        user, session = web.page_user()
        if user is not None:
            return see_other("/")
        fresh = session is None
        session = session or Session.fresh()
        response = html("sign_in.html", session, user=None, email="")
        return web.set_session(response, session) if fresh else response

    @bp.post(SIGN_IN)
    def sign_in() -> Response:
        session = web.session()
        web.check_form(session)
        assert session is not None
        email = request.form.get("email", "").strip()
        try:
            user = services.users.authenticate_token(request.form.get("token", ""))
        except NotFound:
            user = None
        if user is None or user.email != email.lower():
            return html("sign_in.html", session, 401, user=None, email=email, problem="Unknown email or API token.")
        return web.set_session(see_other("/"), Session.fresh(user.id))

    @bp.post("/sign-out")
    def sign_out() -> Response:
        web.check_form(web.session())
        return web.set_session(see_other(SIGN_IN), Session.fresh())

    @bp.get("/")
    def dashboard() -> Response:
        found = signed_in()
        if isinstance(found, Response):
            return found
        user, session = found
        today, _tomorrow, until = pages.dashboard_window(user.timezone)
        calendars = pages.source_calendars(services.calendars.list(user.id))
        by_calendar = [(c, services.appointments.list(user.id, c.id, start=today, end=until)) for c in calendars]
        runs = services.archive.runs(user.id, limit=pages.RECENT_RUNS)
        configurations = services.archive_configurations.list(user.id, limit=None)
        return html("dashboard.html", session, **pages.dashboard_context(user, by_calendar, runs, configurations))

    def configurations_page(user: User, session: Session, status: int = 200, problem: str | None = None) -> Response:
        configurations = services.archive_configurations.list(user.id, limit=None)
        calendars = services.calendars.list(user.id, limit=None)
        context = pages.configurations_context(user, configurations, calendars)
        return html("archive_configurations.html", session, status, problem=problem, **context)

    @bp.get("/archive-configurations")
    def configurations() -> Response:
        found = signed_in()
        if isinstance(found, Response):
            return found
        return configurations_page(*found)

    def form_action(action):  # type: ignore[no-untyped-def]
        """Sign-in and CSRF first; a refused action re-renders the page with the reason."""
        found = signed_in()
        if isinstance(found, Response):
            return found
        user, session = found
        web.check_form(session)
        try:
            action(user)
        except Exception as exc:
            known = error_for(exc)
            if known is None or isinstance(known, WebError) and known.status >= 500:
                raise
            return configurations_page(user, session, known.status, known.message)
        return None

    @bp.post("/archive-configurations")
    def create_configuration() -> Response:
        def create(user: User) -> None:
            body = pages.configuration_form(request.form)
            services.archive_configurations.create(user.id, **body.model_dump())

        return form_action(create) or see_other("/archive-configurations")

    @bp.post("/archive-configurations/<int:configuration_id>/run")
    def run_configuration(configuration_id: int) -> Response:
        def run(user: User) -> None:
            body = pages.run_form(request.form)
            services.archive.archive(user.id, configuration_id, body.date_range, replace=body.replace)

        return form_action(run) or see_other("/")

    @bp.post("/archive-configurations/<int:configuration_id>/<any(activate, deactivate, delete):verb>")
    def change_configuration(configuration_id: int, verb: str) -> Response:
        return form_action(
            lambda user: getattr(services.archive_configurations, verb)(user.id, configuration_id)
        ) or see_other("/archive-configurations")

    return bp
