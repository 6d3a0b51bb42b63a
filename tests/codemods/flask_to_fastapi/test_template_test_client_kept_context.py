"""In a ``with client:`` block, the test reads the last request's ``session``, ``g`` and ``request`` after it.

Flask's client kept each request's context pushed until the next request or the block's end, so a test asserts on
what the view left there (``with client: client.post("/login", ...); assert "user" in session``). The converted
request's context ended with it: the test's ``session`` was the one of its own ``test_request_context()`` (empty),
or none at all. Out of the block, and once it ends, the test sees its own context again, as in Flask.
"""

from __future__ import annotations

import sys

import flask
from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
from flask import Flask, g, request, session

app = Flask(__name__)
app.config["SECRET_KEY"] = "s"


@app.route("/login", methods=["POST"])
def login():
    session["user"] = request.form["user"]
    g.visits = 1
    return "ok"


@app.route("/logout", methods=["POST"])
def logout():
    session.pop("user", None)
    return "bye"
"""


def _path(request) -> str:
    return request.path if hasattr(request, "args") else request.url.path  # Flask's, or Starlette's (converted)


def _as_the_test_sees_it(app, client, helpers) -> list:
    session, g, request = helpers.session, helpers.g, helpers.request
    seen = []
    with app.test_request_context("/outside"):
        with client:
            client.post("/login", data={"user": "ada"})
            seen.append((dict(session), g.visits, _path(request)))
            client.post("/logout")
            seen.append((dict(session), _path(request)))
        seen.append((dict(session), _path(request)))  # the test's own context again
    return seen


def test_the_last_requests_context_is_read_in_a_with_client_block_as_in_flask(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "keptapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "keptapp")
    expected = [({"user": "ada"}, 1, "/login"), ({}, "/logout"), ({}, "/outside")]
    assert _as_the_test_sees_it(flask_app, flask_app.test_client(), flask) == expected
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "keptapp")
    helpers = sys.modules["_flask_compat"]  # what the converted tests import
    assert _as_the_test_sees_it(fastapi_app, FlaskStyleClient(fastapi_app), helpers) == expected
