"""``/api/calendars``: a user's calendars. Twin of ``admin_assistant.aio.web.calendars``."""

from __future__ import annotations

from flask import Blueprint, Response

from admin_assistant.domain.schemas import (
    CalendarIn,
    CalendarOut,
    CalendarPage,
    CalendarQuery,
    dump_json,
    page_json,
)
from admin_assistant.sync.web.auth import Web
from admin_assistant.sync.web.bodies import json_response, no_content, read_body, read_query


def routes(web: Web) -> Blueprint:
    bp = Blueprint("calendars", __name__)
    calendars = web.services.calendars

    @bp.get("/api/calendars")
    def list_calendars() -> Response:
        user = web.api_user()
        query = read_query(CalendarQuery)
        items = calendars.list(user.id, kind=query.kind, offset=query.offset, limit=query.limit)
        return json_response(page_json(CalendarPage, items, query.offset, query.limit))

    @bp.post("/api/calendars")
    def create_calendar() -> Response:
        user = web.api_user()
        body = read_body(CalendarIn)
        calendar = calendars.create(user.id, body.name, kind=body.kind, external_uri=body.external_uri)
        return json_response(dump_json(CalendarOut, calendar), 201)

    @bp.get("/api/calendars/<int:calendar_id>")
    def get_calendar(calendar_id: int) -> Response:
        user = web.api_user()
        return json_response(dump_json(CalendarOut, calendars.get(user.id, calendar_id)))

    @bp.delete("/api/calendars/<int:calendar_id>")
    def delete_calendar(calendar_id: int) -> Response:
        user = web.api_user()
        calendars.delete(user.id, calendar_id)
        return no_content()

    return bp
