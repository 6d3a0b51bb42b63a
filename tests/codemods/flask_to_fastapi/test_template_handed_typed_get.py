"""Werkzeug's ``get(key, default, type=...)`` and ``getlist(key, type=...)`` called by a helper of the app on the
mapping a view hands it (``from_params(request.args)``): the call is not on ``request`` where the view reads it, so
it is not rewritten, and Starlette's ``get`` takes no ``type`` (TypeError, a 500)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, request

app = Flask(__name__)


def from_params(params):
    return {
        "page": params.get("page", 1, type=int),
        "limit": params.get("limit", default=10, type=int),
        "flag": params.get("flag", default=False, type=lambda v: v.lower() in ("1", "true")),
        "ids": params.getlist("id", type=int),
        "raw": params.get("q"),
        "all": params.getlist("id"),
    }


def header_number(headers):
    return headers.get("X-Count", default=0, type=int)


@app.route("/items", methods=["GET", "POST"])
def items():
    return {"args": from_params(request.args), "form": from_params(request.form), "n": header_number(request.headers)}
"""


def test_a_helper_reading_a_handed_mapping_with_werkzeugs_type(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "typedparams.py").write_text(APP)
    flask_app = load(tmp_path / "src", "typedparams")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "typedparams")
    requests = [
        ("GET", "/items?page=3&id=1&id=x&id=2&flag=true&q=a"),
        ("GET", "/items?page=nope&limit=5", {"headers": {"X-Count": "7"}}),
        ("GET", "/items", {"headers": {"X-Count": "many"}}),
        ("POST", "/items?page=2", {"data": {"id": ["4", "5"], "limit": "2"}}),
    ]
    assert_same(flask_app, fastapi_app, requests)
