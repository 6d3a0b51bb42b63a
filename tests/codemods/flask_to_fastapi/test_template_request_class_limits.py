"""``app.request_class`` on the face: a factory that sets Werkzeug's form limits on it
(``app.request_class.max_form_memory_size = ...``) imports, and the limit it sets is the one forms are read with
(the converted app failed at import: 'FastAPI' object has no attribute 'request_class')."""

from __future__ import annotations

import flask
import pytest
from side_by_side import convert_tree, load
from starlette.testclient import TestClient

APP = """\
from flask import Flask, request

app = Flask(__name__)
app.request_class.max_form_memory_size = LIMIT
app.request_class.max_form_parts = 50


def submitted_note():  # read where the codemod cannot see it from the view (as Flask-WTF's forms do)
    return request.form["note"]


@app.route("/note", methods=["POST"])
def note():
    return str(len(submitted_note()))
"""

BIG = "x" * 1_500_000  # over Werkzeug's 500 kB and Starlette's 1 MB for a non-file field


def _apps(tmp_path, limit: int):
    source = tmp_path / "flask_app"
    source.mkdir()
    (source / "limits_app.py").write_text(APP.replace("LIMIT", str(limit)))
    convert_tree(source, tmp_path / "out")
    return load(source, "limits_app"), load(tmp_path / "out", "limits_app")


@pytest.fixture(autouse=True)
def _flask_request_class_restored(monkeypatch):  # the Flask app sets them on flask.Request itself, as Flask does
    for name in ("max_form_memory_size", "max_form_parts"):
        monkeypatch.setattr(flask.Request, name, flask.Request.__dict__[name])


def test_a_field_under_the_limit_the_app_raised_is_read_as_in_flask(tmp_path):
    original, converted = _apps(tmp_path, 3_000_000)
    before = original.test_client().post("/note", data={"note": BIG}, content_type="multipart/form-data")
    after = TestClient(converted, raise_server_exceptions=False).post("/note", files={"note": (None, BIG)})
    assert (before.status_code, before.text) == (200, "1500000")
    assert (after.status_code, after.text) == (200, "1500000")


def test_more_parts_than_the_app_allows_are_refused_as_in_flask(tmp_path):
    original, converted = _apps(tmp_path, 3_000_000)
    fields = {f"f{n}": "y" for n in range(60)}
    before = original.test_client().post("/note", data={"note": "a", **fields}, content_type="multipart/form-data")
    after = TestClient(converted, raise_server_exceptions=False).post(
        "/note", files={"note": (None, "a"), **{k: (None, v) for k, v in fields.items()}}
    )
    assert before.status_code == 413
    assert after.status_code >= 400
