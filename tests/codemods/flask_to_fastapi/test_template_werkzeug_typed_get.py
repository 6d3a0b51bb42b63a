"""Werkzeug's ``MultiDict.get(key, default, type=...)`` and ``getlist(key, type=...)`` where no view parameter
takes the value: in a view decorator's wrapper, with a converter of the app's own, with a key not known until
the request. Starlette's mappings take no ``type`` (TypeError, a 500); a value the converter refuses gives
the default (ValueError or TypeError), as Werkzeug's does."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
import functools

from flask import Flask, jsonify, request

app = Flask(__name__)


def paged(f):
    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        page = request.args.get("page", 1, type=int)
        per_page = min(request.args.get("per_page", 10, type=int), 50)
        return jsonify(page=page, per_page=per_page, items=f(*args, **kwargs))
    return wrapped


def yes(value):
    return value.lower() in ("1", "yes", "true")


@app.route("/items")
@paged
def items():
    return [request.args.get("expand", False, type=yes), request.args.getlist("id", type=int)]


@app.route("/field/<name>", methods=["GET", "POST"])
def field(name):
    return {
        "arg": request.args.get(name, -1, type=int),
        "form": request.form.get(name, type=float),
        "header": request.headers.get("X-Count", 0, type=int),
    }
"""


def test_typed_get_outside_typed_parameters(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "typedget.py").write_text(APP)
    flask_app = load(tmp_path / "src", "typedget")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "typedget")
    requests = [
        ("GET", "/items"),
        ("GET", "/items?page=3&per_page=100&expand=yes&id=1&id=x&id=4"),
        ("GET", "/items?page=x&per_page=&expand=no"),
        ("GET", "/field/n?n=7", {"headers": {"X-Count": "5"}}),
        ("GET", "/field/n?n=seven", {"headers": {"X-Count": "five"}}),
        ("POST", "/field/n", {"data": {"n": "2.5"}}),
        ("POST", "/field/n", {"data": {"n": "a"}}),
    ]
    assert_same(flask_app, fastapi_app, requests)
