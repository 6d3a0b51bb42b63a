"""The Flask-style test client sends what Flask's sent: its User-Agent and remote address (``environ_base``), no
httpx defaults (Accept, Accept-Encoding, Connection), ``Content-Length: 0`` without a body where the installed
Werkzeug sent one; an app echoing the request (its headers, ``remote_addr``) answered other JSON under test."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, request

app = Flask(__name__)


@app.route("/echo", methods=["GET", "POST"])
def echo():
    return {"headers": dict(request.headers.items()), "origin": request.remote_addr}
"""


def test_the_request_a_converted_app_gets_is_flasks_clients(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "echo_app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "echo_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "echo_app")
    requests = [
        ("GET", "/echo"),
        ("GET", "/echo", {"headers": {"User-Agent": "test", "X-Thing": "1"}}),
        ("POST", "/echo", {"data": {"a": "1"}}),
    ]
    assert_same(flask_app, fastapi_app, requests)
