"""The application each web benchmark server runs: the strangler over both stacks, plus one route.

``GET /api/bench/upstream`` is added to both apps, written as the application's own routes are:
authenticate the bearer token, read ``ROWS`` appointments through the ORM, call the 50 ms upstream,
and answer with a body validated and serialised by Pydantic in one pass.
"""

# no "from __future__ import annotations": FastAPI must read the bench route's annotations

from web_upstream import HOST, AsyncUpstream, SyncUpstream

ROWS = 20


class Quoted:
    """The upstream route's body: the upstream's rate and the calendar's appointments."""

    model = None

    @classmethod
    def json(cls, rate: float, items: list) -> bytes:  # type: ignore[type-arg]
        if cls.model is None:
            from pydantic import BaseModel

            from admin_assistant.domain.schemas import AppointmentOut

            class QuotedAppointments(BaseModel):
                rate: float
                items: list[AppointmentOut]

            cls.model = QuotedAppointments
        from admin_assistant.domain.schemas import dump_json

        return dump_json(cls.model, {"rate": rate, "items": items})


def bench_routes(upstream_url: str, rows: int):  # type: ignore[no-untyped-def]
    """``extend`` for ``build_strangler``: ``GET /api/bench/upstream`` on both stacks, twins, written
    as the application's own routes are (the body validated and serialised by Pydantic in one pass)."""

    def extend(flask_app, fastapi_app) -> None:  # type: ignore[no-untyped-def]
        from fastapi import APIRouter, Request, Response

        from admin_assistant.aio.web.bodies import json_response as async_json
        from admin_assistant.sync.web.bodies import json_response as sync_json

        sync_upstream, async_upstream = SyncUpstream(upstream_url), AsyncUpstream(upstream_url)
        flask_web = flask_app.extensions["admin_assistant.web"]

        def sync_view():  # type: ignore[no-untyped-def]
            user = flask_web.api_user()
            calendar = flask_web.services.calendars.list(user.id, limit=1)[0]
            items = flask_web.services.appointments.list(user.id, calendar.id, limit=rows)
            quote = sync_upstream.get_json()
            return sync_json(Quoted.json(quote["rate"], items))

        flask_app.add_url_rule("/api/bench/upstream", "bench_upstream", sync_view)

        fastapi_web = fastapi_app.state.web
        router = APIRouter(tags=["bench"])

        @router.get("/api/bench/upstream")
        async def async_view(request: Request) -> Response:
            user = await fastapi_web.api_user(request)
            calendar = (await fastapi_web.services.calendars.list(user.id, limit=1))[0]
            items = await fastapi_web.services.appointments.list(user.id, calendar.id, limit=rows)
            quote = await async_upstream.get_json()
            return async_json(Quoted.json(quote["rate"], items))

        fastapi_app.include_router(router)

    return extend


def serve(port: int, upstream_url: str, database_url: str, pool: int) -> None:
    """One uvicorn worker serving the strangler with the bench route, as ``admin-assistant serve`` would."""
    import uvicorn

    from admin_assistant.wiring.app import build
    from admin_assistant.wiring.database import SETTING
    from admin_assistant.wiring.web import build_strangler
    from compat.db import Database
    from compat.web import settle_gc

    database = Database.from_url(database_url, SETTING, pool_size=pool, max_overflow=0, pool_timeout=60)
    application = build(database)
    app = build_strangler(application, scheduling=False, extend=bench_routes(upstream_url, ROWS))
    app.on_startup.append(settle_gc)  # as admin-assistant serve does
    uvicorn.run(app, host=HOST, port=port, access_log=False, log_level="warning", lifespan="on", backlog=4096)
