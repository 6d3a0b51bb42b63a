"""What ``real_app_web.py`` adds to both apps alike: no network (Microsoft faked) and a sign-in route.

Microsoft's side is faked where the app calls it: MSAL (authority discovery, token) and Graph
(``requests.get``). The app's own user_loader (``User.query.get``) fails in both stacks, as its OAuth
callback does: ``User``'s relationships name classes of the core registry ("Appointment"...), so its mapper
never configures. Sign-in is measured with each stack's own ``login_user``/``login_required``/session cookie
and a loader that reads the same ``users`` row with plain SQL.
"""

from __future__ import annotations

import os
import sys
from typing import Any
from urllib.parse import urlencode

PROFILE = {"mail": "ann@example.com", "displayName": "Ann Example"}


# -- no network: Microsoft answered by fakes ----------------------------------------------------------------
class FakeMsal:
    """``msal.ConfidentialClientApplication`` without the authority discovery it does over the network."""

    def __init__(self, client_id: str, authority: str | None = None, client_credential: Any = None, **_: Any):
        self.client_id, self.authority = client_id, authority

    def get_authorization_request_url(self, scopes: list, state: str | None = None, redirect_uri: str | None = None):
        query = urlencode(
            {"client_id": self.client_id, "scope": " ".join(scopes), "state": state, "redirect_uri": redirect_uri}
        )
        return f"{self.authority}/oauth2/v2.0/authorize?{query}"

    def acquire_token_by_authorization_code(self, code: str, scopes: list, redirect_uri: str | None = None):
        return {"access_token": f"token-for-{code}", "refresh_token": "refresh", "expires_in": 3600}


class FakeGraphResponse:
    def __init__(self, status: int, payload: Any = None):
        self.status_code, self._payload, self.headers, self.content = status, payload, {}, b""

    def json(self) -> Any:
        return self._payload


def fake_get(url: str, *args: Any, **kwargs: Any) -> FakeGraphResponse:
    if url.endswith("/v1.0/me"):
        return FakeGraphResponse(200, PROFILE)
    return FakeGraphResponse(404)


def without_network() -> None:
    import msal
    import requests

    msal.ConfidentialClientApplication = FakeMsal
    requests.get = fake_get


# -- signing in -----------------------------------------------------------------------------------------------
class RowUser:
    """The users row as Flask-Login needs it (what ``User`` would give, without its broken relationships)."""

    is_active = is_authenticated = True
    is_anonymous = False

    def __init__(self, row: dict):
        self.__dict__.update(row)

    def get_id(self) -> str:
        return str(self.id)


def _web_engine() -> Any:
    from sqlalchemy import create_engine

    return create_engine(os.environ["TEST_DATABASE_URL"])


def row_loader(user_id: str) -> RowUser | None:
    from sqlalchemy import text

    engine = _web_engine()
    try:
        with engine.connect() as connection:
            query = text("SELECT * FROM users WHERE id = :id")  # the encrypted token columns are NULL
            row = connection.execute(query, {"id": int(user_id)}).mappings().first()
    finally:
        engine.dispose()
    return RowUser(dict(row)) if row else None


def add_user() -> None:
    from sqlalchemy import text

    engine = _web_engine()
    with engine.begin() as connection:
        statement = "INSERT INTO users (id, email, name, is_active) VALUES (1, :email, :name, 1)"
        connection.execute(text(statement), {"email": PROFILE["mail"], "name": PROFILE["displayName"]})
    engine.dispose()


def flask_sign_in_route(flask_app: Any) -> None:
    """``/__sign_in?id=1`` on the Flask app: Flask-Login's own ``login_user`` (added before any request)."""
    import flask
    import flask_login

    def sign_in():
        flask_login.login_user(row_loader(flask.request.args["id"]))
        return "signed in"

    flask_app.add_url_rule("/__sign_in", "__sign_in", sign_in)
    flask_app.login_manager._user_callback = row_loader


def fastapi_sign_in_route(fastapi_app: Any) -> None:
    """``/__sign_in?id=1`` on the converted app: the helper's ``login_user``, the converted app's own."""
    from fastapi.responses import HTMLResponse

    helper = sys.modules[type(fastapi_app.login_manager).__module__.rpartition(".")[0] + ".login_views"]

    @fastapi_app.get("/__sign_in")
    def sign_in(id: str):  # noqa: A002 - the query parameter's name
        helper.login_user(row_loader(id))
        return HTMLResponse("signed in")

    fastapi_app.login_manager._user_callback = row_loader
