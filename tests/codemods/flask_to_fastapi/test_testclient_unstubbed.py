"""The Flask-style test client's own requests to the app pass a stub of the app's outgoing HTTP: vcr.py patches
``httpx.Client.send`` while a cassette plays, and Starlette's ``TestClient`` is an ``httpx.Client``, so the test's
request to the app went into the cassette (vcr.py 4.1: an IndexError on httpx 0.28's keyword ``request``; newer:
the app's URL looked up in the cassette). Flask's client called the app through Werkzeug, unseen by the stub."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from codemods.flask_to_fastapi.starlette_client import httpx
from codemods.flask_to_fastapi.testclient import FlaskStyleClient


class Stubbed(Exception):
    pass


def _stub(*args, **kwargs):
    raise Stubbed  # as vcr.py's stub does with a request it has no recording for


@pytest.mark.parametrize("method", ["send", "_send_single_request"])
def test_the_test_clients_requests_pass_a_stub_of_httpx(monkeypatch, method):
    app = FastAPI()

    @app.get("/ping")
    def ping():
        return {"pong": True}

    client = FlaskStyleClient(app)
    monkeypatch.setattr(httpx.Client, method, _stub)  # a cassette playing, for the app's own httpx clients
    assert client.get("/ping").get_json() == {"pong": True}
    with pytest.raises(Stubbed):  # the app's own client is stubbed still
        httpx.Client().get("http://example.invalid/")
