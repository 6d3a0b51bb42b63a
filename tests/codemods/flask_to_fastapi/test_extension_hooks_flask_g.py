"""An extension left on Flask that keeps its per-request state on Flask's ``g`` (Flask-OIDC: its ``before_request``
hook sets ``g.oidc_id_token``, ``oidc.user_loggedin`` reads it) and puts nothing in ``app.extensions``: the app's
own hook and views read that state on the converted app as on Flask. No Flask context was pushed for such an app
(none is, unless ``app.extensions`` names an extension): its hook's ``g`` went with the Flask request context it ran
in, and the app's hook reading ``oidc.user_loggedin`` raised "Working outside of application context" (a 500 on
every request). A stand-in extension (``flask_tokenid``, not converted) plays Flask-OIDC's part."""

from __future__ import annotations

import pytest
from side_by_side import converted_with_library
from starlette.testclient import TestClient

EXTENSION = """\
from flask import g, request


class TokenId:
    def __init__(self, app=None):
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        app.before_request(self._before_request)

    def _before_request(self):
        g.token_id = request.headers.get("X-Token")

    @property
    def user_loggedin(self):
        return g.token_id is not None
"""
APP = """\
from flask import Flask, g, jsonify
from flask_tokenid import TokenId

app = Flask(__name__)
TOKENS = TokenId(app)


@app.before_request
def set_user():
    g.user = "someone" if TOKENS.user_loggedin else None


@app.route("/me")
def me():
    return jsonify(user=g.user, loggedin=TOKENS.user_loggedin)
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    root = tmp_path_factory.mktemp("tokenid")
    with converted_with_library(root, {"flask_tokenid": EXTENSION}, {"token_shop.py": APP}, "token_shop") as app:
        yield app


def test_the_apps_hook_and_views_read_the_extensions_state_on_flasks_g(converted):
    client = TestClient(converted)
    assert client.get("/me").json() == {"user": None, "loggedin": False}
    assert client.get("/me", headers={"X-Token": "t"}).json() == {"user": "someone", "loggedin": True}
