"""An app's own JSON provider (``app.json = AppJSONProvider(app)``, a subclass of Flask's ``JSONProvider`` whose
``dumps`` uses the app's encoder, kept on Flask by the conversion) makes the bodies of ``jsonify`` and of returned
dicts, as in Flask: the helper replaced it with its own provider, so a value only the app's encoder knows
(a ``timedelta``) raised "Object of type timedelta is not JSON serializable", a 500."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
import datetime
import json

from flask import Flask, jsonify
from flask.json.provider import JSONProvider


class AppEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.timedelta):
            return int(o.total_seconds())
        if isinstance(o, datetime.datetime):
            return o.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return json.JSONEncoder.default(self, o)


class AppJSONProvider(JSONProvider):
    ensure_ascii = False
    sort_keys = True

    def dumps(self, obj, **kwargs):
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return json.dumps(obj, **kwargs, cls=AppEncoder)

    def loads(self, s, **kwargs):
        return json.loads(s, **kwargs)


app = Flask(__name__)
app.json = AppJSONProvider(app)
WHEN = datetime.datetime(2026, 12, 6, 13, 0, 0)


@app.route("/timeout")
def timeout():
    return jsonify(status="ok", timeout=datetime.timedelta(minutes=2), name="café", at=WHEN)


@app.route("/plain")
def plain():
    return {"b": datetime.timedelta(seconds=5), "a": WHEN}
"""


def test_the_apps_own_json_provider_makes_the_bodies(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "providerapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "providerapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "providerapp")
    requests = [("GET", "/timeout"), ("GET", "/plain")]
    assert_same(flask_app, fastapi_app, requests)
    flask_body = flask_app.test_client().get("/timeout").data
    assert FlaskStyleClient(fastapi_app).get("/timeout").data == flask_body  # the provider's bytes, no newline
