"""``/api/calendars``: a user's calendars. Twin of ``admin_assistant.sync.web.calendars``."""

# no 'from __future__ import annotations': FastAPI reads the route signatures, whose
# ``web.ApiUser`` is a local name that a string annotation could not resolve.

from typing import Annotated

from fastapi import APIRouter, Query, Response

from admin_assistant.aio.web.auth import Web
from admin_assistant.aio.web.bodies import json_response, no_content
from admin_assistant.aio.web.errors import ERROR_RESPONSES
from admin_assistant.domain.schemas import (
    CalendarIn,
    CalendarOut,
    CalendarPage,
    CalendarQuery,
    dump_json,
    page_json,
)


def routes(web: Web) -> APIRouter:
    router = APIRouter(tags=["calendars"], responses=ERROR_RESPONSES)
    ApiUser = web.ApiUser
    calendars = web.services.calendars

    @router.get("/api/calendars", response_model=CalendarPage)
    async def list_calendars(user: ApiUser, query: Annotated[CalendarQuery, Query()]) -> Response:
        items = await calendars.list(user.id, kind=query.kind, offset=query.offset, limit=query.limit)
        return json_response(page_json(CalendarPage, items, query.offset, query.limit))

    @router.post("/api/calendars", response_model=CalendarOut, status_code=201)
    async def create_calendar(user: ApiUser, body: CalendarIn) -> Response:
        calendar = await calendars.create(user.id, body.name, kind=body.kind, external_uri=body.external_uri)
        return json_response(dump_json(CalendarOut, calendar), 201)

    @router.get("/api/calendars/{calendar_id}", response_model=CalendarOut)
    async def get_calendar(user: ApiUser, calendar_id: int) -> Response:
        return json_response(dump_json(CalendarOut, await calendars.get(user.id, calendar_id)))

    @router.delete("/api/calendars/{calendar_id}", status_code=204, response_class=Response)
    async def delete_calendar(user: ApiUser, calendar_id: int) -> Response:
        await calendars.delete(user.id, calendar_id)
        return no_content()

    return router
