"""``request.get_json()`` of a body not sent as JSON, as the installed Werkzeug answers it: None before 2.1
(Flask 1.x apps test ``post(url, data=json.dumps(payload))`` with no content type, and their views read
``request.get_json()`` or fall back to the form), a bare 400 in 2.1 and 2.2, a 415 since 2.3. The converted view
answered 415 whatever the app had installed."""

from __future__ import annotations

import json
import sys

from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
import json

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/things", methods=["POST"])
def new_thing():
    data = request.get_json() or json.loads(request.data)
    return jsonify(name=data["name"]), 201
"""


def _answers(app) -> list:
    client = FlaskStyleClient(app)
    sent = [client.post("/things", data=json.dumps({"name": "a"})), client.post("/things", json={"name": "b"})]
    return [(answer.status_code, answer.get_json() if answer.status_code == 201 else None) for answer in sent]


def test_get_json_of_a_body_not_sent_as_json_follows_the_installed_werkzeug(tmp_path, monkeypatch):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "thingsapp.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "thingsapp")
    inputs = sys.modules["_flask_compat.inputs"]
    monkeypatch.setattr(inputs, "installed_version", lambda name: (1, 0, 1), raising=False)
    assert _answers(fastapi_app) == [(201, {"name": "a"}), (201, {"name": "b"})]
    monkeypatch.setattr(inputs, "installed_version", lambda name: (2, 2, 3), raising=False)
    assert _answers(fastapi_app) == [(400, None), (201, {"name": "b"})]
    monkeypatch.setattr(inputs, "installed_version", lambda name: (3, 1, 0), raising=False)
    assert _answers(fastapi_app) == [(415, None), (201, {"name": "b"})]
