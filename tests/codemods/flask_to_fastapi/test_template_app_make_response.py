"""``app.make_response(rv)`` on the converted app answers by Flask's return-value rules, as Flask's app did (the
FastAPI app had no ``make_response``: AttributeError, a 500 wherever a view built its response so)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, redirect, url_for

app = Flask(__name__)


@app.route("/cookies")
def cookies():
    return {"ok": True}


@app.route("/set/<name>")
def set_cookie(name):
    r = app.make_response(redirect(url_for("cookies")))
    r.set_cookie(key=name, value="1")
    return r


@app.route("/created")
def created():
    return app.make_response(("made", 201))
"""


def test_app_make_response_answers_as_flasks(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "madeapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "madeapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "madeapp")
    assert_same(flask_app, fastapi_app, [("GET", "/set/a"), ("GET", "/created"), ("GET", "/cookies")])
