"""A suite's own ``FlaskClient`` subclass (``app.test_client_class = AutoAuthClient``: a ``login()`` context manager,
an ``open()`` adding the user's token to every request) on the converted app: ``app.test_client()`` gave the
Flask-style client whatever the suite set, and every test using ``client.login(...)`` failed (AttributeError)."""

from __future__ import annotations

import contextlib

from flask.testing import FlaskClient
from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import patch_fastapi

APP = """\
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/whoami")
def whoami():
    return jsonify(user=request.headers.get("X-User"), q=request.args.get("q"))
"""


class AutoAuthClient(FlaskClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = None

    @contextlib.contextmanager
    def login(self, user):
        self._user = user
        yield self
        self._user = None

    def open(self, *args, **kwargs):
        if self._user is not None:
            kwargs["headers"] = (*tuple(kwargs.get("headers") or ()), ("X-User", self._user))
        return super().open(*args, **kwargs)


def _answers(app) -> list:
    app.test_client_class = AutoAuthClient
    client = app.test_client()
    with client.login("bob"):
        first = client.get("/whoami", query_string={"q": "1"}).get_json()
    return [first, client.get("/whoami").get_json()]


def test_the_suites_client_class_runs_on_the_converted_app(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "client_app.py").write_text(APP)
    expected = _answers(load(tmp_path / "src", "client_app"))
    assert expected == [{"user": "bob", "q": "1"}, {"user": None, "q": None}]
    convert_tree(tmp_path / "src", tmp_path / "out")
    with patch_fastapi():
        assert _answers(load(tmp_path / "out", "client_app")) == expected
