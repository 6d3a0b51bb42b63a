"""``/api/me``: the caller's own account and API token. Twin of ``admin_assistant.sync.web.users``."""

# no 'from __future__ import annotations': FastAPI reads the route signatures, whose
# ``web.ApiUser`` is a local name that a string annotation could not resolve.

from fastapi import APIRouter, Response

from admin_assistant.aio.web.auth import Web
from admin_assistant.aio.web.bodies import json_response
from admin_assistant.aio.web.errors import ERROR_RESPONSES
from admin_assistant.domain.schemas import TokenOut, UserOut, dump_json
from admin_assistant.presentation.webcommon import api_tokens


def routes(web: Web) -> APIRouter:
    router = APIRouter(tags=["users"], responses=ERROR_RESPONSES)
    ApiUser = web.ApiUser

    @router.get("/api/me", response_model=UserOut)
    async def me(user: ApiUser) -> Response:
        return json_response(dump_json(UserOut, user))

    @router.post("/api/me/token", response_model=TokenOut)
    async def rotate_token(user: ApiUser) -> Response:
        token = await web.services.users.rotate_token(user.id)
        api_tokens.forget_user(user.id)
        return json_response(dump_json(TokenOut, {"token": token}))

    return router
