"""``request.authorization`` (Werkzeug's, parsed from the header), ``request.environ`` (the WSGI environ rebuilt
from the scope) and ``request.script_root`` answer as Flask's request did: they were TODOs that raised at run
time (a ``before_request`` hook reading ``request.environ`` made every request answer 500)."""

from __future__ import annotations

import base64

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, request, abort

app = Flask(__name__)


def secure():
    return request.environ["wsgi.url_scheme"] == "https"


def check(user, passwd):
    auth = request.authorization
    return auth is not None and auth.username == user and auth.password == passwd


@app.before_request
def deny_chunked():
    if request.environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
        abort(501)


@app.route("/basic-auth/<user>/<passwd>")
def basic(user, passwd):
    if not check(user, passwd):
        return "no", 401
    agent = request.environ.get("HTTP_X_AGENT")
    return {"user": user, "secure": secure(), "root": request.script_root, "agent": agent}
"""


def _basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_authorization_environ_and_script_root_answer_as_flasks(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "authapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "authapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "authapp")
    requests = [
        ("GET", "/basic-auth/u/p", {"headers": {**_basic("u", "p"), "X-Agent": "t"}}),
        ("GET", "/basic-auth/u/p", {"headers": _basic("u", "wrong")}),
        ("GET", "/basic-auth/u/p"),
        ("GET", "/basic-auth/u/p", {"headers": {"X-Forwarded-Proto": "https"}}),
    ]
    assert_same(flask_app, fastapi_app, requests)
