"""A JSON body sent as another type (``text/plain``, as AWS SNS posts to a webhook): Flask's
``request.get_json(silent=True)`` gives None there, so the view falls back to the raw text, and ``get_json()``
answers 415. The converted view's JSON parameter is read whatever the type (``read_json``), and ``flask_json``
handed the parsed dict on: the webhook's ``json.loads(payload)`` raised TypeError on a dict (a 500)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
import json

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/hook", methods=["POST"])
def hook():
    payload = request.get_json(silent=True) or request.form or request.get_data(as_text=True)
    if isinstance(payload, str):
        return jsonify(kind="text", message=json.loads(payload)["Message"])
    return jsonify(kind=type(payload).__name__, payload=payload)


@app.route("/strict", methods=["POST"])
def strict():
    return jsonify(got=request.get_json())


@app.route("/forced", methods=["POST"])
def forced():
    return jsonify(got=request.get_json(force=True))
"""

BODY = '{"Type": "Notification", "Message": "ALARM"}'


def test_a_json_body_sent_as_text_is_read_as_flask_read_it(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "snsapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "snsapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "snsapp")
    text = {"data": BODY, "content_type": "text/plain; charset=UTF-8"}
    requests = [
        ("POST", "/hook", text),
        ("POST", "/hook", {"json": {"Message": "OK"}}),
        ("POST", "/strict", text),
        ("POST", "/strict", {"json": {"a": 1}}),
        ("POST", "/forced", text),
    ]
    assert_same(flask_app, fastapi_app, requests)
