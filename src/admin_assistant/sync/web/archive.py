"""Archive runs: start one for a configuration and a date range; read runs with their counts.
Twin of ``admin_assistant.aio.web.archive``."""

from __future__ import annotations

from flask import Blueprint, Response

from admin_assistant.domain.schemas import (
    ArchiveRunIn,
    ArchiveRunOut,
    ArchiveRunPage,
    ArchiveRunQuery,
    dump_json,
    page_json,
)
from admin_assistant.presentation.pages import RUN_LOOKUP_LIMIT, find_run
from admin_assistant.sync.web.auth import Web
from admin_assistant.sync.web.bodies import json_response, read_body, read_query


def routes(web: Web) -> Blueprint:
    bp = Blueprint("archive", __name__)
    archive = web.services.archive

    @bp.post("/api/archive-configurations/<int:configuration_id>/runs")
    def start_run(configuration_id: int) -> Response:
        user = web.api_user()
        body = read_body(ArchiveRunIn)
        run = archive.archive(user.id, configuration_id, body.date_range, replace=body.replace)
        return json_response(dump_json(ArchiveRunOut, run), 201)

    @bp.get("/api/archive-runs")
    def list_runs() -> Response:
        user = web.api_user()
        query = read_query(ArchiveRunQuery)
        items = archive.runs(user.id, configuration_id=query.configuration_id, offset=query.offset, limit=query.limit)
        return json_response(page_json(ArchiveRunPage, items, query.offset, query.limit))

    @bp.get("/api/archive-runs/<int:run_id>")
    def get_run(run_id: int) -> Response:
        user = web.api_user()
        return json_response(dump_json(ArchiveRunOut, find_run(archive.runs(user.id, limit=RUN_LOOKUP_LIMIT), run_id)))

    return bp
