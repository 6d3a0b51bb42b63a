"""A suite's own ``FlaskClient`` subclass (``app.test_client_class = AutoAuthClient``: a ``login()`` context manager,
an ``open()`` adding the user's token to every request) on the converted app: ``app.test_client()`` gave the
Flask-style client whatever the suite set, and every test using ``client.login(...)`` failed (AttributeError)."""

from __future__ import annotations

import contextlib
import json
from urllib.parse import urlparse

from flask import Response
from flask.testing import FlaskClient
from side_by_side import convert_tree, load
from werkzeug.utils import cached_property

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
        app = load(tmp_path / "out", "client_app")
        assert _answers(app) == expected
        assert _answers(app) == expected  # the next test's client: the class rebased already


REDIRECTING = """\
from flask import Flask, jsonify, redirect

app = Flask(__name__)


@app.route("/old")
def old():
    return redirect("/new?page=2")


@app.route("/data")
def data():
    return jsonify(n=1)
"""


class LocationResponse(Response):
    """A suite's response class: the redirect's parts as properties (``response.path``)."""

    @cached_property
    def path(self):
        return urlparse(self.location).path

    @cached_property
    def query(self):
        return urlparse(self.location).query


class JsonOnlyResponse(LocationResponse):
    @cached_property
    def json(self):
        assert self.mimetype == "application/json", self.mimetype
        return {"parsed": json.loads(self.data)}


def _response_answers(app) -> list:
    app.response_class = LocationResponse
    first = app.test_client().get("/old")
    app.response_class = JsonOnlyResponse
    second = app.test_client().get("/data")
    return [first.status_code, first.path, first.query, second.json, isinstance(second, JsonOnlyResponse)]


def test_the_suites_response_class_answers_on_the_converted_app(tmp_path):
    """``app.response_class = LocationResponse`` in a fixture: Flask's client answers with it (``response.path``);
    the Flask-style client answered its own, and ``r.path`` raised AttributeError."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "redirect_app.py").write_text(REDIRECTING)
    expected = _response_answers(load(tmp_path / "src", "redirect_app"))
    assert expected == [302, "/new", "page=2", {"parsed": {"n": 1}}, True]
    convert_tree(tmp_path / "src", tmp_path / "out")
    with patch_fastapi():
        assert _response_answers(load(tmp_path / "out", "redirect_app")) == expected
