"""The Flask-style test client takes Flask's ``use_cookies``: the app's old tests build it with that keyword."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

from codemods.flask_to_fastapi.testclient import FlaskStyleClient


def make_app() -> FastAPI:
    app = FastAPI()

    @app.get("/set")
    def set_cookie():
        response = PlainTextResponse("set")
        response.set_cookie("flavour", "oat")
        return response

    @app.get("/read")
    def read(request: Request):
        return PlainTextResponse(request.cookies.get("flavour", "none"))

    return app


def test_use_cookies_true_keeps_the_jar_and_false_sends_none():
    keeping = FlaskStyleClient(make_app(), use_cookies=True)
    keeping.get("/set")
    assert keeping.get("/read").get_data(as_text=True) == "oat"
    forgetting = FlaskStyleClient(make_app(), use_cookies=False)
    forgetting.get("/set")
    assert forgetting.get("/read").get_data(as_text=True) == "none"
