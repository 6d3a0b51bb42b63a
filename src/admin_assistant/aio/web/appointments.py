"""Appointments: listed by calendar and date range with paging, changed one by one, imported
from and exported to iCalendar files. Twin of ``admin_assistant.sync.web.appointments``."""

# no 'from __future__ import annotations': FastAPI reads the route signatures, whose
# ``web.ApiUser`` is a local name that a string annotation could not resolve.

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile

from admin_assistant.aio.web.auth import Web
from admin_assistant.aio.web.bodies import json_response, no_content
from admin_assistant.aio.web.errors import ERROR_RESPONSES
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
from admin_assistant.presentation.webcommon import NO_STORE

ICS_TYPE = "text/calendar; charset=utf-8"


def routes(web: Web) -> APIRouter:
    router = APIRouter(tags=["appointments"], responses=ERROR_RESPONSES)
    ApiUser = web.ApiUser
    appointments = web.services.appointments

    @router.get("/api/calendars/{calendar_id}/appointments", response_model=AppointmentPage)
    async def list_appointments(
        user: ApiUser, calendar_id: int, query: Annotated[AppointmentQuery, Query()]
    ) -> Response:
        items = await appointments.list(
            user.id, calendar_id, start=query.start, end=query.end, offset=query.offset, limit=query.limit
        )
        return json_response(page_json(AppointmentPage, items, query.offset, query.limit))

    @router.post("/api/calendars/{calendar_id}/appointments", response_model=AppointmentOut, status_code=201)
    async def create_appointment(user: ApiUser, calendar_id: int, body: AppointmentIn) -> Response:
        fields = body.model_dump(exclude={"start", "end"})
        appointment = await appointments.create(user.id, calendar_id, body.start, body.end, **fields)
        return json_response(dump_json(AppointmentOut, appointment), 201)

    @router.post("/api/calendars/{calendar_id}/import", response_model=ImportOut)
    async def import_ics(user: ApiUser, calendar_id: int, file: Annotated[UploadFile, File()]) -> Response:
        await web.services.calendars.get(user.id, calendar_id)  # a read: NotFound first, no writer lock yet
        result = await appointments.import_ics(user.id, calendar_id, await file.read(), timezone=user.timezone)
        return json_response(dump_json(ImportOut, result))

    @router.get(
        "/api/calendars/{calendar_id}/export",
        response_class=Response,
        responses={200: {"content": {"text/calendar": {}}, "description": "An iCalendar file"}},
    )
    async def export_ics(user: ApiUser, calendar_id: int, query: Annotated[ExportQuery, Query()]) -> Response:
        data = await appointments.export_ics(user.id, calendar_id, query.start, query.end)
        headers = {
            "Content-Disposition": f'attachment; filename="calendar-{calendar_id}.ics"',
            NO_STORE[0]: NO_STORE[1],
        }
        return Response(data, headers=headers, media_type=ICS_TYPE)

    @router.get("/api/appointments/{appointment_id}", response_model=AppointmentOut)
    async def get_appointment(user: ApiUser, appointment_id: int) -> Response:
        return json_response(dump_json(AppointmentOut, await appointments.get(user.id, appointment_id)))

    @router.patch("/api/appointments/{appointment_id}", response_model=AppointmentOut)
    async def update_appointment(user: ApiUser, appointment_id: int, body: AppointmentPatch) -> Response:
        return json_response(
            dump_json(AppointmentOut, await appointments.update(user.id, appointment_id, body.changes()))
        )

    @router.delete("/api/appointments/{appointment_id}", status_code=204, response_class=Response)
    async def delete_appointment(user: ApiUser, appointment_id: int) -> Response:
        await appointments.delete(user.id, appointment_id)
        return no_content()

    return router
