"""A test's ``client.post(url, data={"email": ..., "password": ...}, content_type="multipart/form-data")``: Werkzeug's
EnvironBuilder encodes the fields as multipart and adds a boundary to the bare type; the Flask-style client handed
the fields to httpx, which url-encoded them under the type given (no boundary), so the app's form parser failed:
400 where Flask answered 200 (a sign-in helper of a crowdsourcing app's tests posts every form so)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, request

app = Flask(__name__)


@app.route("/signin", methods=["POST"])
def signin():
    return {"type": request.mimetype, "form": request.form.to_dict(flat=False)}
"""


def test_fields_posted_under_a_bare_multipart_type_are_sent_as_multipart(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "formapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "formapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "formapp")
    fields = {"email": "ann@example.com", "password": "p4ss w0rd&=", "remember": 1, "tags": ["a", "b"]}
    requests = [
        ("POST", "/signin", {"data": fields, "content_type": "multipart/form-data"}),
        (
            "POST",
            "/signin",
            {"data": {"note": "caf\u00e9", "raw": b"\x01bytes"}, "content_type": "multipart/form-data"},
        ),
        ("POST", "/signin", {"data": fields, "headers": {"Content-Type": "multipart/form-data"}}),
        ("POST", "/signin", {"data": fields}),
    ]
    assert_same(flask_app, fastapi_app, requests)
