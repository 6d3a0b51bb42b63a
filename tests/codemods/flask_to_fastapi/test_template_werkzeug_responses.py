"""Werkzeug's ``response.data`` (read and set), ``get_data()``, ``set_data()`` and ``mimetype`` on the converted
app's responses: a wrapper of ``jsonify``, a view decorator and an ``after_request`` hook handle them as before
(Starlette's responses have none of these names: AttributeError, a 500 with no TODO at the line)."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

APP = """\
from functools import wraps

from flask import Flask, Response, jsonify as flask_jsonify

app = Flask(__name__)


def jsonify(*args, **kwargs):
    response = flask_jsonify(*args, **kwargs)
    if not response.data.endswith(b"\\n"):
        response.data += b"\\n"
    return response


def shout(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        response = f(*args, **kwargs)
        response.set_data(response.get_data(as_text=True).upper())
        return response

    return wrapper


@app.after_request
def tag(response):
    if response.mimetype == "application/json":
        response.headers["X-Json"] = "yes"
    return response


@app.route("/json")
def data():
    return jsonify(a=1)


@app.route("/page")
@shout
def page():
    return Response("<p>hello</p>", mimetype="text/html")
"""


def test_werkzeug_response_names_answer_as_before(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "wzapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "wzapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "wzapp")
    for request, before, after in ask_both(flask_app, fastapi_app, [("GET", "/json"), ("GET", "/page")]):
        assert after == before, request
        assert after.body == before.body, request
        assert after.headers.get("x-json") == before.headers.get("x-json"), request
        assert after.headers["content-length"] == before.headers["content-length"], request
