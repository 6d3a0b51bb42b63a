"""Werkzeug's ways of setting a response's headers on the converted app's Starlette responses: ``r.headers = {...}``
(a helper building an error answer: AttributeError "can't set attribute", a 500) keeping the content type and length
as Werkzeug still sent them, and values that are not text (``headers["Location"] = url.encode("utf-8")``,
``headers["X-Count"] = 3``: AttributeError on ``.encode``, a 500)."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

APP = """\
from flask import Flask, make_response, request

app = Flask(__name__)


def teapot(code):
    r = make_response()
    r.status_code = code
    r.data = "short and stout"
    r.headers = {"x-more-info": "rfc2324"}
    return r


@app.route("/status/<int:code>")
def status(code):
    return teapot(code)


@app.route("/redirect-to")
def redirect_to():
    response = make_response("")
    response.status_code = 302
    response.headers["Location"] = request.args["url"].encode("utf-8")
    response.headers["X-Count"] = 3
    return response
"""


def test_headers_set_the_werkzeug_way(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "headers_app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "headers_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "headers_app")
    requests = [("GET", "/status/418"), ("GET", "/status/401"), ("GET", "/redirect-to?url=/post")]
    for request, before, after in ask_both(flask_app, fastapi_app, requests):
        assert after == before, request
        for name in ("x-more-info", "x-count", "content-type", "content-length"):
            assert after.headers.get(name) == before.headers.get(name), (request, name)
