"""The Flask-style test client takes Werkzeug's ``auth=(username, password)``: API tests log in with it."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

from codemods.flask_to_fastapi.testclient import FlaskStyleClient


def make_app() -> FastAPI:
    app = FastAPI()

    @app.post("/tokens")
    def tokens(request: Request):
        return PlainTextResponse(request.headers.get("authorization", "none"))

    return app


def test_auth_tuple_sends_basic_credentials_as_werkzeug_does():
    client = FlaskStyleClient(make_app())
    assert client.post("/tokens", auth=("test", "foo")).get_data(as_text=True) == "Basic dGVzdDpmb28="


def test_auth_replaces_an_authorization_header_as_werkzeug_does():
    client = FlaskStyleClient(make_app())
    answer = client.post("/tokens", auth=("test", "foo"), headers={"authorization": "Bearer abc"})
    assert answer.get_data(as_text=True) == "Basic dGVzdDpmb28="
