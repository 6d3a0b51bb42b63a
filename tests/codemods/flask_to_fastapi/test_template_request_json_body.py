"""A view's ``request.get_json()``/``request.json`` on a body Flask refuses: an empty one (400, the app's handler
answering), JSON sent as another type with ``force=True`` (Flask parses it), a form read with ``silent=True``
(None). FastAPI's ``Body()`` gave None for the empty body and the bytes for the others, and the view went on (a
500, or a wrong answer); a view reading the form too failed on a form (its JSON dependency parsed it: a 500)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.errorhandler(400)
def bad_request(e):
    return jsonify(error="bad request"), 400


@app.route("/forced", methods=["POST"])
def forced():
    data = request.get_json(force=True)
    return {"name": data["name"]}, 201


@app.route("/plain", methods=["PUT"])
def plain():
    return {"json": request.json}


@app.route("/either", methods=["POST"])
def either():
    if request.is_json:
        return {"json": request.get_json()}
    return {"form": request.form.get("name")}


@app.route("/quiet", methods=["POST"])
def quiet():
    return {"json": request.get_json(silent=True)}
"""


def test_a_body_flask_refuses_or_parses(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "jsonbody.py").write_text(APP)
    flask_app = load(tmp_path / "src", "jsonbody")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "jsonbody")
    json_type = {"Content-Type": "application/json"}
    requests = [
        ("POST", "/forced", {"data": '{"name": "a"}', "headers": json_type}),
        ("POST", "/forced", {"headers": json_type}),
        ("POST", "/forced"),
        ("POST", "/forced", {"data": '{"name": "b"}', "headers": {"Content-Type": "text/plain"}}),
        ("PUT", "/plain", {"data": "[1, 2]", "headers": json_type}),
        ("PUT", "/plain", {"headers": json_type}),
        ("POST", "/either", {"data": {"name": "c"}}),
        ("POST", "/either", {"data": '{"name": "d"}', "headers": json_type}),
        ("POST", "/either", {"headers": json_type}),
        ("POST", "/either", {"data": "{bad", "headers": json_type}),
        ("POST", "/quiet", {"headers": json_type}),
        ("POST", "/quiet", {"data": "{}", "headers": json_type}),
        ("POST", "/quiet", {"data": "{bad", "headers": json_type}),  # FastAPI's Body() answered 400 before the view
        ("POST", "/quiet", {"data": {"ids": "1"}}),  # a form: Flask's silent read is None, FastAPI gave the bytes
    ]
    assert_same(flask_app, fastapi_app, requests)
