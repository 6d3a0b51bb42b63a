"""The Flask-style client's responses have Werkzeug's ``content_length`` and ``headers.get_all()``/``getlist()``,
which old tests read (``response.headers.get_all("Set-Cookie")``: AttributeError on httpx's headers)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import Response

from codemods.flask_to_fastapi.testclient import FlaskStyleClient


def test_content_length_and_every_value_of_a_header():
    app = FastAPI()

    @app.get("/c")
    def cookies():
        response = Response("twelve bytes")
        response.set_cookie("a", "1")
        response.set_cookie("b", "2")
        return response

    answer = FlaskStyleClient(app).get("/c")
    assert answer.content_length == 12
    assert [c.split(";")[0] for c in answer.headers.get_all("Set-Cookie")] == ["a=1", "b=2"]
    assert answer.headers.getlist("set-cookie") == answer.headers.get_all("Set-Cookie")
