"""Werkzeug's response fields (``response.content_length``, ``status``, ``content_encoding``, ``location``) on the
converted app's responses, as an ``after_request`` hook logs each answer's size and status (Starlette's ``Response``
has none: AttributeError on every request)."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

APP = """\
from flask import Flask, jsonify, make_response, redirect

app = Flask(__name__)


@app.route("/page")
def page():
    return "a page"


@app.route("/items")
def items():
    return jsonify(items=[1, 2, 3])


@app.route("/gone")
def gone():
    response = make_response("gone", 410)
    response.status = "404 NOT FOUND"
    return response


@app.route("/away")
def away():
    response = redirect("/page")
    response.location = "/items"
    return response


@app.after_request
def log_size(response):
    response.headers["X-Size"] = str(response.content_length)
    response.headers["X-Status"] = response.status
    response.headers["X-Kind"] = str(response.mimetype)
    response.headers["X-Encoding"] = str(response.content_encoding)
    if response.status_code == 200:
        response.content_encoding = "identity"
    return response
"""


def test_response_fields_read_and_set_as_werkzeugs(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "sized_shop.py").write_text(APP)
    flask_app = load(tmp_path / "src", "sized_shop")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "sized_shop")
    asked = [("GET", "/page"), ("GET", "/items"), ("GET", "/gone"), ("GET", "/away")]
    for request, before, after in ask_both(flask_app, fastapi_app, asked):
        assert after == before, request
        for name in ("x-size", "x-status", "x-kind", "x-encoding", "content-encoding", "location"):
            assert after.headers.get(name) == before.headers.get(name), (request, name)
