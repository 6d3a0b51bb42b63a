"""Werkzeug's ``response.headers.extend(...)`` (a dict, a dict with a list value, pairs) on the converted app's
responses, as an ``after_request`` hook adds the rate-limit headers a view left in ``g`` (Starlette's headers have
no ``extend``: AttributeError, a 500)."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load
from starlette.testclient import TestClient

APP = """\
from flask import Flask, g

app = Flask(__name__)


@app.route("/limited")
def limited():
    g.headers = {"X-RateLimit-Remaining": "4", "X-RateLimit-Limit": "5"}
    return "ok"


@app.after_request
def after_request(response):
    if hasattr(g, "headers"):
        response.headers.extend(g.headers)
    response.headers.extend([("X-Pair", "1")], **{"X-Word": "w"})
    response.headers.extend({"X-Many": ["a", "b"]})
    return response
"""


def test_headers_extend_adds_as_werkzeugs(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "extend_shop.py").write_text(APP)
    flask_app = load(tmp_path / "src", "extend_shop")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "extend_shop")
    for request, before, after in ask_both(flask_app, fastapi_app, [("GET", "/limited")]):
        assert after == before, request
        for name in ("x-ratelimit-remaining", "x-ratelimit-limit", "x-pair", "x-word"):
            assert after.headers.get(name) == before.headers.get(name), name
    flask_many = flask_app.test_client().get("/limited").headers.getlist("X-Many")
    assert TestClient(fastapi_app).get("/limited").headers.get_list("x-many") == flask_many == ["a", "b"]
