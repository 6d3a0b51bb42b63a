"""A test's ``client.post(..., content_type="application/json", headers={"Content-Type": "application/json"})``:
Werkzeug's EnvironBuilder sends one Content-Type (``content_type=`` wins), the Flask-style client sent both, so
the app read ``application/json,application/json`` from its environ (a Hawk signature over the content type then
failed: 401 where Flask answered 201)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, request

app = Flask(__name__)


@app.route("/echo", methods=["POST"])
def echo():
    return {"type": request.environ.get("CONTENT_TYPE"), "all": request.headers.getlist("Content-Type")}
"""


def test_content_type_given_twice_is_sent_once(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "typedapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "typedapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "typedapp")
    json_type = {"Content-Type": "application/json"}
    requests = [
        ("POST", "/echo", {"data": "{}", "content_type": "application/json", "headers": json_type}),
        ("POST", "/echo", {"data": "{}", "content_type": "text/plain", "headers": {"content-type": "text/csv"}}),
        ("POST", "/echo", {"data": "{}", "headers": json_type}),
    ]
    assert_same(flask_app, fastapi_app, requests)
