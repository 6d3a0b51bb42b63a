"""``/api/me``: the caller's own account and API token. Twin of ``admin_assistant.aio.web.users``."""

from __future__ import annotations

from flask import Blueprint, Response

from admin_assistant.domain.schemas import TokenOut, UserOut, dump_json
from admin_assistant.presentation.webcommon import api_tokens
from admin_assistant.sync.web.auth import Web
from admin_assistant.sync.web.bodies import json_response


def routes(web: Web) -> Blueprint:
    bp = Blueprint("users", __name__)

    @bp.get("/api/me")
    def me() -> Response:
        return json_response(dump_json(UserOut, web.api_user()))

    @bp.post("/api/me/token")
    def rotate_token() -> Response:
        user = web.api_user()
        token = web.services.users.rotate_token(user.id)
        api_tokens.forget_user(user.id)
        return json_response(dump_json(TokenOut, {"token": token}))

    return bp
