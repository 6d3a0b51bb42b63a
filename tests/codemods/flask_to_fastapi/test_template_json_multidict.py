"""The request's query and form put in a JSON answer as they are (``{"args": request.args}``, or a helper that
returns an empty one unchanged) encode as Flask's did, Werkzeug's MultiDict being a dict (first values);
Starlette's mappings are not dicts: "Object of type QueryParams is not JSON serializable", a 500."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, jsonify, request

app = Flask(__name__)


def semiflatten(multi):
    if multi:
        return {key: multi.getlist(key) for key in multi}
    return multi


@app.route("/echo", methods=["GET", "POST"])
def echo():
    return jsonify(args=request.args, flat=semiflatten(request.args), form=semiflatten(request.form))
"""


def test_the_requests_mappings_encode_as_werkzeugs_dicts(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "echoapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "echoapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "echoapp")
    assert_same(flask_app, fastapi_app, [("GET", "/echo"), ("GET", "/echo?a=1&a=2&b=3"), ("POST", "/echo")])
