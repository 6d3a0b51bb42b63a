"""Werkzeug's ``request.data`` is empty when the body is a form (it parsed it into ``request.form``); any other
body is there as sent: a helper reading it answers as before (it was the form's raw body, a silent difference in
every echo of a form post)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, request

app = Flask(__name__)


def body():
    return {"data": request.data.decode(), "form": dict(request.form)}


@app.route("/post", methods=["POST"])
def post():
    return body()
"""


def test_request_data_is_empty_for_a_form(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "body_app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "body_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "body_app")
    requests = [
        ("POST", "/post", {"data": {"name": "kevin"}}),
        ("POST", "/post", {"data": "plain text", "content_type": "text/plain"}),
    ]
    assert_same(flask_app, fastapi_app, requests)
