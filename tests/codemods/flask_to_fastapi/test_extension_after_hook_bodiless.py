"""Flask's ``request.get_data()`` (the helper's ``request_data``) on a request whose headers announce no body (no
Content-Length, no Transfer-Encoding: a GET) is empty without waiting on the request's stream. An extension's hook
that reads Flask's request, run after the view had the stream's one message (a sync view that failed reading Flask's
request, answered 500), had the helper build Flask's request context by reading the body again: the request hung,
and the app's whole suite stopped at its timeout."""

from __future__ import annotations

import importlib
import sys
import threading
from pathlib import Path

from starlette.requests import Request

import codemods.flask_to_fastapi as package


def _request(headers: list[tuple[bytes, bytes]]) -> Request:
    async def receive() -> dict:
        raise AssertionError("the stream was read")

    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "query_string": b""}, receive)


def test_a_request_announcing_no_body_has_an_empty_one_without_reading_the_stream(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(package.__file__).with_name("template")))
    for name in [n for n in sys.modules if n == "_flask_compat" or n.startswith("_flask_compat.")]:
        monkeypatch.delitem(sys.modules, name)
    inputs = importlib.import_module("_flask_compat.inputs")
    answers, failures = [], []

    def ask() -> None:
        try:
            answers.append((inputs.request_data(_request([])), inputs.request_data(_request([]), as_text=True)))
        except Exception as exc:  # noqa: BLE001
            failures.append(exc)

    asking = threading.Thread(target=ask, daemon=True)  # without the rule the read waits on the event loop
    asking.start()
    asking.join(30)
    assert not failures and answers == [(b"", "")], failures
