"""``/api/archive-configurations``: which calendar is archived into which, and when.
Twin of ``admin_assistant.aio.web.archive_configurations``."""

from __future__ import annotations

from flask import Blueprint, Response

from admin_assistant.domain.schemas import (
    ArchiveConfigurationIn,
    ArchiveConfigurationOut,
    ArchiveConfigurationPage,
    ArchiveConfigurationQuery,
    dump_json,
    page_json,
)
from admin_assistant.sync.web.auth import Web
from admin_assistant.sync.web.bodies import json_response, no_content, read_body, read_query


def routes(web: Web) -> Blueprint:
    bp = Blueprint("archive_configurations", __name__)
    configurations = web.services.archive_configurations

    @bp.get("/api/archive-configurations")
    def list_configurations() -> Response:
        user = web.api_user()
        query = read_query(ArchiveConfigurationQuery)
        items = configurations.list(user.id, active=query.active, offset=query.offset, limit=query.limit)
        return json_response(page_json(ArchiveConfigurationPage, items, query.offset, query.limit))

    @bp.post("/api/archive-configurations")
    def create_configuration() -> Response:
        user = web.api_user()
        body = read_body(ArchiveConfigurationIn)
        return json_response(
            dump_json(ArchiveConfigurationOut, configurations.create(user.id, **body.model_dump())), 201
        )

    @bp.get("/api/archive-configurations/<int:configuration_id>")
    def get_configuration(configuration_id: int) -> Response:
        user = web.api_user()
        return json_response(dump_json(ArchiveConfigurationOut, configurations.get(user.id, configuration_id)))

    @bp.post("/api/archive-configurations/<int:configuration_id>/activate")
    def activate_configuration(configuration_id: int) -> Response:
        user = web.api_user()
        return json_response(dump_json(ArchiveConfigurationOut, configurations.activate(user.id, configuration_id)))

    @bp.post("/api/archive-configurations/<int:configuration_id>/deactivate")
    def deactivate_configuration(configuration_id: int) -> Response:
        user = web.api_user()
        return json_response(dump_json(ArchiveConfigurationOut, configurations.deactivate(user.id, configuration_id)))

    @bp.delete("/api/archive-configurations/<int:configuration_id>")
    def delete_configuration(configuration_id: int) -> Response:
        user = web.api_user()
        configurations.delete(user.id, configuration_id)
        return no_content()

    return bp
