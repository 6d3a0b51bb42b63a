"""A test reading the app through its client (``CORS(self.client.application, ...)``, Werkzeug's
``Client.application``): the Flask-style client had no such name (AttributeError in the test's setUp)."""

from __future__ import annotations

from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
from flask import Flask

app = Flask(__name__)


@app.route("/ping")
def ping():
    return "pong"
"""


def test_the_client_names_the_app_it_drives_as_werkzeugs_did(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "clientapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "clientapp")
    assert flask_app.test_client().application is flask_app
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "clientapp")
    client = FlaskStyleClient(fastapi_app)
    assert client.application is fastapi_app
    assert client.get("/ping").data == b"pong"
