"""An extension reading Flask's own ``g`` in the test's app context sees what that context's ``g`` holds.

Flask-Principal keeps the identity on ``flask.g`` (``g.identity``), set by its ``before_request`` hook or by a
receiver of ``identity_changed`` a test fixture sends in ``app.test_request_context()``; a permission check reads it
later in the test. In Flask a session-wide ``app.app_context()`` is the one app context of the run: the test client's
requests and the test's ``test_request_context()`` reuse it, so they share its ``g``. The converted app pushed the
Flask app behind the extensions (``face.flask_app_context``) with a fresh ``g`` of its own for the test's app context
and for each ``test_request_context()``: the check raised ``AttributeError: identity`` (lemur's certificate schema
tests). The stand-in extension (``flask_ident``, not converted) behaves as Flask-Principal does."""

from __future__ import annotations

import sys

import pytest
from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

EXTENSION = """\
from blinker import Namespace
from flask import current_app, g, request

signals = Namespace()
identity_changed = signals.signal("identity-changed")
identity_loaded = signals.signal("identity-loaded")


class Ident:
    def __init__(self, app):
        app.before_request(self._before)
        identity_changed.connect(self._changed, app)

    def _before(self):
        if request.headers.get("X-User"):
            self._set(request.headers["X-User"])

    def _changed(self, app, identity):
        self._set(identity)

    def _set(self, identity):
        g.identity = identity
        identity_loaded.send(current_app._get_current_object(), identity=identity)


def who():
    return g.identity  # Flask-Principal's Permission.can(): AttributeError without one
"""
APP = """\
from flask import Flask, g, jsonify
from flask_ident import Ident, identity_loaded, who

app = Flask(__name__)
ident = Ident(app)


@identity_loaded.connect
def on_identity_loaded(sender, identity):
    g.user = "user " + identity


@app.route("/me")
def me():
    return jsonify(identity=who(), user=g.user)
"""


def _seen(app, client, ident) -> list:
    seen = []
    context = app.app_context()
    context.push()
    try:
        seen.append(client.get("/me", headers={"X-User": "ann"}).get_json())
        seen.append(ident.who())  # set by the extension's hook in the request, kept in the context's g
        with app.test_request_context():
            seen.append(ident.who())
            ident.identity_changed.send(app, identity="bob")  # lemur's logged_in_user fixture
            seen.append(ident.who())
        seen.append(ident.who())
        seen.append(client.get("/me").get_json())  # no header: the identity the test's context holds
    finally:
        context.pop()
    return seen


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "flask_ident.py").write_text(EXTENSION)  # installed, not converted
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "identapp.py").write_text(APP)
    sys.path.insert(0, str(tmp_path / "lib"))
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path / "lib"))
        for name in ("identapp", "flask_ident"):
            sys.modules.pop(name, None)


def test_an_extension_reads_the_g_of_the_tests_app_context(tree):
    flask_app = load(tree / "src", "identapp")
    expected = [
        {"identity": "ann", "user": "user ann"},
        "ann",
        "ann",
        "bob",
        "bob",
        {"identity": "bob", "user": "user bob"},
    ]
    assert _seen(flask_app, flask_app.test_client(), sys.modules["flask_ident"]) == expected
    convert_tree(tree / "src", tree / "out")
    sys.modules.pop("flask_ident")
    fastapi_app = load(tree / "out", "identapp")
    assert _seen(fastapi_app, FlaskStyleClient(fastapi_app), sys.modules["flask_ident"]) == expected
