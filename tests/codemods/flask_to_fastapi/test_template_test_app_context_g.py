"""A test holding ``app.app_context()`` (or ``app.test_request_context()``) reads after a request what the request's
hooks and view put in ``g``: Flask's test client ran the request in that app context, so they shared one ``g``
(a model's query reading ``g.project``, which a URL preprocessor loaded, called by the test after the request).
The converted request had ``g`` on its own ``request.state``: AttributeError in the test."""

from __future__ import annotations

import sys

import flask
from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
from flask import Flask, g

app = Flask(__name__)


@app.before_request
def load_visitor():
    g.visitor = "ada"


@app.route("/visit", methods=["POST"])
def visit():
    g.visits = g.get("visits", 0) + 1
    return "ok"
"""


def _g_as_the_test_sees_it(context, client, g) -> tuple:
    context.push()
    try:
        assert client.post("/visit").status_code == 200
        assert client.post("/visit").status_code == 200
        return g.visitor, g.visits
    finally:
        context.pop()


def _both(tmp_path, name: str, context) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / f"{name}.py").write_text(APP)
    flask_app = load(tmp_path / "src", name)
    assert _g_as_the_test_sees_it(context(flask_app), flask_app.test_client(), flask.g) == ("ada", 2)
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", name)
    g = sys.modules["_flask_compat"].g  # what the converted app's hooks and the test import
    assert _g_as_the_test_sees_it(context(fastapi_app), FlaskStyleClient(fastapi_app), g) == ("ada", 2)


def test_the_test_reads_what_its_requests_put_in_g_as_in_flask(tmp_path):
    _both(tmp_path, "gvisitapp", lambda app: app.app_context())


def test_a_test_request_context_shares_its_g_with_the_requests_too(tmp_path):
    _both(tmp_path, "gvisitrequestapp", lambda app: app.test_request_context())
