"""Archive runs: start one for a configuration and a date range; read runs with their counts.
Twin of ``admin_assistant.sync.web.archive``."""

# no 'from __future__ import annotations': FastAPI reads the route signatures, whose
# ``web.ApiUser`` is a local name that a string annotation could not resolve.

from typing import Annotated

from fastapi import APIRouter, Query, Response

from admin_assistant.aio.web.auth import Web
from admin_assistant.aio.web.bodies import json_response
from admin_assistant.aio.web.errors import ERROR_RESPONSES
from admin_assistant.domain.schemas import (
    ArchiveRunIn,
    ArchiveRunOut,
    ArchiveRunPage,
    ArchiveRunQuery,
    dump_json,
    page_json,
)
from admin_assistant.presentation.pages import RUN_LOOKUP_LIMIT, find_run


def routes(web: Web) -> APIRouter:
    router = APIRouter(tags=["archive"], responses=ERROR_RESPONSES)
    ApiUser = web.ApiUser
    archive = web.services.archive

    @router.post("/api/archive-configurations/{configuration_id}/runs", response_model=ArchiveRunOut, status_code=201)
    async def start_run(user: ApiUser, configuration_id: int, body: ArchiveRunIn) -> Response:
        run = await archive.archive(user.id, configuration_id, body.date_range, replace=body.replace)
        return json_response(dump_json(ArchiveRunOut, run), 201)

    @router.get("/api/archive-runs", response_model=ArchiveRunPage)
    async def list_runs(user: ApiUser, query: Annotated[ArchiveRunQuery, Query()]) -> Response:
        items = await archive.runs(
            user.id, configuration_id=query.configuration_id, offset=query.offset, limit=query.limit
        )
        return json_response(page_json(ArchiveRunPage, items, query.offset, query.limit))

    @router.get("/api/archive-runs/{run_id}", response_model=ArchiveRunOut)
    async def get_run(user: ApiUser, run_id: int) -> Response:
        return json_response(
            dump_json(ArchiveRunOut, find_run(await archive.runs(user.id, limit=RUN_LOOKUP_LIMIT), run_id))
        )

    return router
