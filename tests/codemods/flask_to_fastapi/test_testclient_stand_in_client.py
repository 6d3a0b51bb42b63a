"""A suite that reaches the app through Flask's own proxy (``from flask import current_app as app`` in a test module,
``app.test_client()`` in a test case's setUp, in the app context its conftest pushed) and so, once the app is
converted, through the Flask app standing for it (the extensions' shadow): Flask's client on that app, which has no
views, answered no request of such a suite ("did not return a valid response", 404 pages)."""

from __future__ import annotations

import sys

import flask
import pytest
from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import patch_fastapi

LIBRARY = """\
class Counter:
    def __init__(self, app=None):
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        app.extensions["counter"] = self
"""

APP = """\
from flask import Flask, jsonify, request
from flask_counter import Counter


def create_app():
    app = Flask(__name__)
    app.config["GREETING"] = "hello"
    Counter(app)

    @app.route("/groups", methods=["POST"])
    def create_group():
        return jsonify(name=request.get_json()["name"], greeting=app.config["GREETING"]), 201

    @app.route("/groups/<name>")
    def get_group(name):
        return jsonify(name=name)

    return app
"""


def _suite(app):
    """What the suite does: the client from ``flask.current_app``, in the app context its conftest pushed."""
    with app.app_context():
        client = flask.current_app.test_client()
        created = client.post("/groups", json={"name": "g1"})
        read = client.get("/groups/g1")
        return created.status_code, created.get_json(), read.status_code, read.get_json()


@pytest.fixture
def apps(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "flask_counter.py").write_text(LIBRARY)  # installed, not converted
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "grouped.py").write_text(APP)
    sys.path.insert(0, str(tmp_path / "lib"))
    try:
        flask_app = load(tmp_path / "src", "grouped", "create_app")
        convert_tree(tmp_path / "src", tmp_path / "out")
        yield flask_app, tmp_path / "out"
    finally:
        sys.path.remove(str(tmp_path / "lib"))
        sys.modules.pop("flask_counter", None)


def test_the_client_of_flask_current_app_is_the_converted_apps(apps):
    flask_app, out = apps
    expected = _suite(flask_app)
    assert expected == (201, {"name": "g1", "greeting": "hello"}, 200, {"name": "g1"})
    with patch_fastapi():
        converted = load(out, "grouped", "create_app")
        assert _suite(converted) == expected
        assert type(flask.Flask(__name__).test_client()).__module__ == "flask.testing"  # a Flask app's own client
