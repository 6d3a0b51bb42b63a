"""Flask's own answer to ``OPTIONS`` runs the request hooks (an ``after_request`` adding CORS headers: the helper
answered before them, without the headers), and an app that turns Werkzeug's ``Location`` correction off
(``BaseResponse.autocorrect_location_header = False``) sends its relative redirects relative before Werkzeug 2.1
too (the helper made them absolute whatever the app said)."""

from __future__ import annotations

import sys

from side_by_side import ask_both, convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
from flask import Flask, redirect, request

app = Flask(__name__)


@app.before_request
def count():
    request.environ["hooks"] = 1


@app.after_request
def cors(response):
    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")
    if request.method == "OPTIONS":
        response.headers["Access-Control-Max-Age"] = "3600"
    return response


@app.route("/get")
def get():
    return {"ok": True}


@app.route("/away")
def away():
    return redirect("/get")
"""


def test_flasks_options_answer_runs_the_hooks(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "optionsapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "optionsapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "optionsapp")
    requests = [("OPTIONS", "/get"), ("OPTIONS", "/get", {"headers": {"Origin": "o"}}), ("GET", "/get")]
    for request, before, after in ask_both(flask_app, fastapi_app, requests):
        assert after == before, request
        for name in ("access-control-allow-origin", "access-control-max-age"):
            assert after.headers.get(name) == before.headers.get(name), (request, name)
        allowed = [set((answer.headers.get("allow") or "").split(", ")) for answer in (before, after)]
        assert allowed[0] == allowed[1], request


def test_locations_stay_relative_when_the_app_turns_the_correction_off(tmp_path, monkeypatch):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "optionsapp.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "optionsapp")
    redirects = sys.modules["_flask_compat.redirects"]
    monkeypatch.setattr(redirects, "installed_version", lambda name: (1, 0, 1))  # Werkzeug before 2.1
    import flask.wrappers
    import werkzeug.wrappers

    old_class = type("BaseResponse", (), {"autocorrect_location_header": True})  # Werkzeug < 2.1's, its default
    monkeypatch.setattr(werkzeug.wrappers, "BaseResponse", old_class, raising=False)
    for response_class in (werkzeug.wrappers.Response, flask.wrappers.Response):  # their default then too
        monkeypatch.setattr(response_class, "autocorrect_location_header", True)
    assert FlaskStyleClient(fastapi_app).get("/away").headers.get("Location") == "http://localhost/get"
    monkeypatch.setattr(old_class, "autocorrect_location_header", False)  # the app's line
    assert FlaskStyleClient(fastapi_app).get("/away").headers.get("Location") == "/get"
