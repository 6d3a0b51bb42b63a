"""``/api/archive-configurations``: which calendar is archived into which, and when.
Twin of ``admin_assistant.sync.web.archive_configurations``."""

# no 'from __future__ import annotations': FastAPI reads the route signatures, whose
# ``web.ApiUser`` is a local name that a string annotation could not resolve.

from typing import Annotated

from fastapi import APIRouter, Query, Response

from admin_assistant.aio.web.auth import Web
from admin_assistant.aio.web.bodies import json_response, no_content
from admin_assistant.aio.web.errors import ERROR_RESPONSES
from admin_assistant.domain.schemas import (
    ArchiveConfigurationIn,
    ArchiveConfigurationOut,
    ArchiveConfigurationPage,
    ArchiveConfigurationQuery,
    dump_json,
    page_json,
)


def routes(web: Web) -> APIRouter:
    router = APIRouter(tags=["archive_configurations"], responses=ERROR_RESPONSES)
    ApiUser = web.ApiUser
    configurations = web.services.archive_configurations

    @router.get("/api/archive-configurations", response_model=ArchiveConfigurationPage)
    async def list_configurations(user: ApiUser, query: Annotated[ArchiveConfigurationQuery, Query()]) -> Response:
        items = await configurations.list(user.id, active=query.active, offset=query.offset, limit=query.limit)
        return json_response(page_json(ArchiveConfigurationPage, items, query.offset, query.limit))

    @router.post("/api/archive-configurations", response_model=ArchiveConfigurationOut, status_code=201)
    async def create_configuration(user: ApiUser, body: ArchiveConfigurationIn) -> Response:
        return json_response(
            dump_json(ArchiveConfigurationOut, await configurations.create(user.id, **body.model_dump())), 201
        )

    @router.get("/api/archive-configurations/{configuration_id}", response_model=ArchiveConfigurationOut)
    async def get_configuration(user: ApiUser, configuration_id: int) -> Response:
        return json_response(dump_json(ArchiveConfigurationOut, await configurations.get(user.id, configuration_id)))

    @router.post("/api/archive-configurations/{configuration_id}/activate", response_model=ArchiveConfigurationOut)
    async def activate_configuration(user: ApiUser, configuration_id: int) -> Response:
        return json_response(
            dump_json(ArchiveConfigurationOut, await configurations.activate(user.id, configuration_id))
        )

    @router.post("/api/archive-configurations/{configuration_id}/deactivate", response_model=ArchiveConfigurationOut)
    async def deactivate_configuration(user: ApiUser, configuration_id: int) -> Response:
        return json_response(
            dump_json(ArchiveConfigurationOut, await configurations.deactivate(user.id, configuration_id))
        )

    @router.delete("/api/archive-configurations/{configuration_id}", status_code=204, response_class=Response)
    async def delete_configuration(user: ApiUser, configuration_id: int) -> Response:
        await configurations.delete(user.id, configuration_id)
        return no_content()

    return router
