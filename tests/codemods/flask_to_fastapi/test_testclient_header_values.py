"""A test's request header whose value is not text (``headers={"If-None-Match": etag}`` with the etag it read None,
a number) is sent as Werkzeug's ``Headers`` sent it, ``str(value)``: httpx raised TypeError ("Header value must be
str or bytes"), so the test failed before its request was made."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, request

app = Flask(__name__)


@app.route("/echo")
def echo():
    return {"etag": request.headers.get("If-None-Match"), "count": request.headers.get("X-Count")}
"""


def test_header_values_that_are_not_text_are_sent_as_werkzeug_sent_them(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "echoapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "echoapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "echoapp")
    requests = [
        ("GET", "/echo", {"headers": {"If-None-Match": None, "X-Count": 3}}),
        ("GET", "/echo", {"headers": {"If-None-Match": '"v1"'}}),
    ]
    assert_same(flask_app, fastapi_app, requests)
