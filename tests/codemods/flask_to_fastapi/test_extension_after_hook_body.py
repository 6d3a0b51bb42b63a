"""An extension's ``after_request`` hook reading Flask's request (it runs in Flask's request context, built from the
current request with its body) after the view, or the Flask app hosting a REST extension, read the body: the
context waited for a body the stream had already given, and the request hung (flask-react-spa: every JSON POST
of its API tests, under Flask-Security's hooks). The body is kept as it passes, and that context gets it."""

from __future__ import annotations

import threading

import pytest
from side_by_side import converted_with_library
from starlette.testclient import TestClient

EXTENSION = """\
from flask import request


class Stamp:
    def __init__(self, app=None):
        if app is not None:
            app.after_request(self._after_request)

    def _after_request(self, response):
        response.headers["X-Stamp"] = "%s %s" % (request.method, (request.get_json(silent=True) or {}).get("n"))
        return response
"""
APP = """\
from flask import Flask, jsonify, request
from flask_stamp import Stamp

app = Flask(__name__)
Stamp(app)


@app.route("/items", methods=["POST"])
def add():
    return jsonify(got=request.get_json()["n"])
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    root = tmp_path_factory.mktemp("stamp")
    with converted_with_library(root, {"flask_stamp": EXTENSION}, {"stamp_shop.py": APP}, "stamp_shop") as app:
        yield app


def test_an_extensions_after_hook_reads_the_body_the_view_read(converted):
    answers = []
    client = TestClient(converted)
    asking = threading.Thread(target=lambda: answers.append(client.post("/items", json={"n": 3})), daemon=True)
    asking.start()
    asking.join(60)
    assert answers, "the request hung"
    assert (answers[0].status_code, answers[0].json(), answers[0].headers.get("X-Stamp")) == (200, {"got": 3}, "POST 3")
