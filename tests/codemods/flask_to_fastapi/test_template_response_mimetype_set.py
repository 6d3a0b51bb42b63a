"""``response.mimetype = ...`` on the converted app's responses, as Werkzeug's setter: the content type, with the
charset for a text type (Starlette's responses had a read-only ``mimetype`` from the helper: AttributeError, a 500
with no TODO at the line, a plain-text robots.txt view of ``make_response(text, 200)``)."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

APP = """\
from flask import Flask, make_response

app = Flask(__name__)


@app.route("/robots.txt")
def robots():
    r = make_response("User-agent: *\\nDisallow: /admin\\n", 200)
    r.mimetype = "text/plain"
    return r


@app.route("/feed")
def feed():
    r = make_response("<feed/>")
    r.mimetype = "application/atom+xml"
    return r


@app.route("/raw")
def raw():
    r = make_response('{"a": 1}')
    r.mimetype = "application/json"
    return r
"""


def test_setting_a_responses_mimetype_answers_as_before(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "mimeapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "mimeapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "mimeapp")
    requests = [("GET", "/robots.txt"), ("GET", "/feed"), ("GET", "/raw")]
    for request, before, after in ask_both(flask_app, fastapi_app, requests):
        assert after == before, request
        assert before.headers["content-type"] != "text/html; charset=utf-8", request  # the setter ran on Flask
        assert after.headers["content-type"] == before.headers["content-type"], request
        assert after.body == before.body, request
