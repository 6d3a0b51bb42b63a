"""Werkzeug's set-valued response headers (``response.vary``, ``allow``, ``content_language``) on the converted app's
responses, as an ``after_request`` hook adds ``Vary: Cookie`` to every answer (Starlette's ``Response`` has no
``vary``: AttributeError, a 500 on every request)."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

APP = """\
from flask import Flask, make_response

app = Flask(__name__)


@app.route("/page")
def page():
    return "ok"


@app.route("/varied")
def varied():
    response = make_response("varied")
    response.headers["Vary"] = "Accept-Encoding"
    return response


@app.route("/languages")
def languages():
    response = make_response("hallo")
    response.content_language = ["de", "en"]
    response.allow = "GET"
    response.allow.update(["HEAD", "get"])
    return response


@app.after_request
def add_vary_header(response):
    response.vary.add("Cookie")
    response.vary.add("cookie")
    response.headers["X-Vary-Has-Cookie"] = str("COOKIE" in response.vary)
    response.headers["X-Vary-Count"] = str(len(response.vary))
    response.content_language.discard("en")
    return response
"""


def test_header_sets_update_the_headers_as_werkzeugs(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "vary_shop.py").write_text(APP)
    flask_app = load(tmp_path / "src", "vary_shop")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "vary_shop")
    asked = [("GET", "/page"), ("GET", "/varied"), ("GET", "/languages")]
    for request, before, after in ask_both(flask_app, fastapi_app, asked):
        assert after == before, request
        for name in ("vary", "x-vary-has-cookie", "x-vary-count", "content-language", "allow"):
            assert after.headers.get(name) == before.headers.get(name), (request, name)
