"""Uploads read outside a view's parameters (``request.files`` in a helper, Flask-WTF's ``FileField.data``)
are Werkzeug's FileStorage, as the app and its extensions expect: ``save``, ``read``, ``mimetype``, ``stream``."""

from __future__ import annotations

import io

from side_by_side import Answer, convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
import os

from flask import Flask, request

app = Flask(__name__)
UPLOADS = os.environ["UPLOADS"]


def stored():
    upload = request.files["photo"]
    upload.save(os.path.join(UPLOADS, upload.filename))
    with open(os.path.join(UPLOADS, upload.filename), "rb") as saved:
        return "%s %s %s" % (upload.filename, upload.mimetype, saved.read().decode())


@app.route("/upload", methods=["POST"])
def upload():
    return stored()
"""


def _photo():
    return {"data": {"photo": (io.BytesIO(b"pixels"), "cat.png", "image/png")}, "content_type": "multipart/form-data"}


def test_a_helper_saves_the_upload_as_werkzeug_does(tmp_path, monkeypatch):
    monkeypatch.setenv("UPLOADS", str(tmp_path))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "uploadapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "uploadapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "uploadapp")
    before = Answer.of(flask_app.test_client().post("/upload", **_photo()))  # each client reads its own stream
    after = Answer.of(FlaskStyleClient(fastapi_app).post("/upload", **_photo()))
    assert (after.status, after.text) == (before.status, before.text) == (200, "cat.png image/png pixels")
