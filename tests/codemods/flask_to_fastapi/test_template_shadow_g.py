"""An old test setting the user through Flask's ``appcontext_pushed`` connected for the app (the handler sets
``flask.g.user``), with the app's before_request hooks emptied, as a Flask-OIDC app's tests do: the converted views
read that user. Flask sent the signal with the Flask app behind the extensions, another object (the receiver never
ran), and the views read the helper's ``g``, not Flask's (AttributeError: user). A stand-in extension
(``flask_tokenid``, not converted) keeps its state on Flask's ``g`` as Flask-OIDC does."""

from __future__ import annotations

import flask
import pytest
from side_by_side import converted_with_library
from starlette.testclient import TestClient

EXTENSION = """\
from flask import g, request


class TokenId:
    def __init__(self, app=None):
        app.before_request(self._before_request)

    def _before_request(self):
        g.token_id = request.headers.get("X-Token")
"""
APP = """\
from flask import Flask, g, jsonify
from flask_tokenid import TokenId

app = Flask(__name__)
TOKENS = TokenId(app)


@app.before_request
def set_user():
    g.user = "from the hook"


@app.route("/me")
def me():
    return jsonify(user=g.user, token=g.get("token_id"))
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    root = tmp_path_factory.mktemp("shadow_g")
    with converted_with_library(root, {"flask_tokenid": EXTENSION}, {"g_shop.py": APP}, "g_shop") as app:
        yield app


def test_a_receiver_of_appcontext_pushed_for_the_app_sets_the_g_the_views_read(converted):
    client = TestClient(converted)
    assert client.get("/me").json() == {"user": "from the hook", "token": None}
    converted.before_request_funcs[None] = []  # the test's own user instead of the login hooks
    seen = []

    def as_tester(sender, **kwargs):
        flask.g.user, flask.g.token_id = "tester", "t"

    with (
        flask.appcontext_pushed.connected_to(as_tester, converted),
        flask.appcontext_pushed.connected_to(lambda sender, **kwargs: seen.append(sender)),
    ):
        assert client.get("/me").json() == {"user": "tester", "token": "t"}
    assert len(seen) == 1  # a receiver for any sender: once, as Flask sent it
