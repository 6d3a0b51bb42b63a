"""Appointments: listed by calendar and date range with paging, changed one by one, imported
from and exported to iCalendar files. Twin of ``admin_assistant.aio.web.appointments``."""

from __future__ import annotations

from flask import Blueprint, Response, request

from admin_assistant.domain.schemas import (
    AppointmentIn,
    AppointmentOut,
    AppointmentPage,
    AppointmentPatch,
    AppointmentQuery,
    ExportQuery,
    ImportOut,
    dump_json,
    page_json,
)
from admin_assistant.presentation.webcommon import NO_STORE, WebError
from admin_assistant.sync.web.auth import Web
from admin_assistant.sync.web.bodies import json_response, no_content, read_body, read_query

ICS_TYPE = "text/calendar; charset=utf-8"


def routes(web: Web) -> Blueprint:
    bp = Blueprint("appointments", __name__)
    appointments = web.services.appointments

    @bp.get("/api/calendars/<int:calendar_id>/appointments")
    def list_appointments(calendar_id: int) -> Response:
        user = web.api_user()
        query = read_query(AppointmentQuery)
        items = appointments.list(
            user.id, calendar_id, start=query.start, end=query.end, offset=query.offset, limit=query.limit
        )
        return json_response(page_json(AppointmentPage, items, query.offset, query.limit))

    @bp.post("/api/calendars/<int:calendar_id>/appointments")
    def create_appointment(calendar_id: int) -> Response:
        user = web.api_user()
        body = read_body(AppointmentIn)
        fields = body.model_dump(exclude={"start", "end"})
        appointment = appointments.create(user.id, calendar_id, body.start, body.end, **fields)
        return json_response(dump_json(AppointmentOut, appointment), 201)

    @bp.post("/api/calendars/<int:calendar_id>/import")
    def import_ics(calendar_id: int) -> Response:
        user = web.api_user()
        upload = request.files.get("file")
        if upload is None:
            raise WebError(422, "file: Field required")
        web.services.calendars.get(user.id, calendar_id)  # a read: NotFound first, no writer lock yet
        result = appointments.import_ics(user.id, calendar_id, upload.read(), timezone=user.timezone)
        return json_response(dump_json(ImportOut, result))

    @bp.get("/api/calendars/<int:calendar_id>/export")
    def export_ics(calendar_id: int) -> Response:
        user = web.api_user()
        query = read_query(ExportQuery)
        data = appointments.export_ics(user.id, calendar_id, query.start, query.end)
        response = Response(data, content_type=ICS_TYPE)
        response.headers["Content-Disposition"] = f'attachment; filename="calendar-{calendar_id}.ics"'
        response.headers[NO_STORE[0]] = NO_STORE[1]
        return response

    @bp.get("/api/appointments/<int:appointment_id>")
    def get_appointment(appointment_id: int) -> Response:
        user = web.api_user()
        return json_response(dump_json(AppointmentOut, appointments.get(user.id, appointment_id)))

    @bp.patch("/api/appointments/<int:appointment_id>")
    def update_appointment(appointment_id: int) -> Response:
        user = web.api_user()
        body = read_body(AppointmentPatch)
        return json_response(dump_json(AppointmentOut, appointments.update(user.id, appointment_id, body.changes())))

    @bp.delete("/api/appointments/<int:appointment_id>")
    def delete_appointment(appointment_id: int) -> Response:
        user = web.api_user()
        appointments.delete(user.id, appointment_id)
        return no_content()

    return bp
