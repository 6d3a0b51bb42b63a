"""Flask-HTTPAuth's HTTPTokenAuth from the helper calls ``verify_token`` as Flask-HTTPAuth does: with ``""``
when the request has no token, so a callback may still let the request in (a DISABLE_AUTH switch)."""

from __future__ import annotations

import sys
import textwrap

from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

TOKEN = textwrap.dedent("""\
    from flask import Flask
    from flask_httpauth import HTTPTokenAuth

    app = Flask(__name__)
    auth = HTTPTokenAuth()


    @auth.verify_token
    def verify(token):
        if token == "":
            return "anonymous"
        return "john" if token == "secret" else None


    @app.route("/me")
    @auth.login_required
    def me():
        return "hi " + auth.current_user()
""")


def test_token_auth_answers_as_flask_httpauth_does_with_and_without_a_token(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "tokenapp.py").write_text(TOKEN)
    flask_app = load(tmp_path / "src", "tokenapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "tokenapp")
    good = {"headers": {"Authorization": "Bearer secret"}}
    bad = {"headers": {"Authorization": "Bearer wrong"}}
    other_scheme = {"headers": {"Authorization": "Basic am9objpoZWxsbw=="}}
    assert_same(
        flask_app,
        fastapi_app,
        [("GET", "/me", good), ("GET", "/me", bad), ("GET", "/me"), ("GET", "/me", other_scheme)],
    )


def test_before_flask_httpauth_4_8_1_verify_token_runs_without_a_token(tmp_path, monkeypatch):
    """The installed release decides: 4.8.0 (microblog-api's pin) asks the callback with ``""``."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "tokenapp.py").write_text(TOKEN)
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "tokenapp")
    httpauth = sys.modules["_flask_compat.httpauth"]
    monkeypatch.setattr(httpauth, "installed_version", lambda name: (4, 8, 0))
    answer = FlaskStyleClient(fastapi_app).get("/me")
    assert (answer.status_code, answer.get_data(as_text=True)) == (200, "hi anonymous")
    monkeypatch.setattr(httpauth, "installed_version", lambda name: (4, 8, 1))
    assert FlaskStyleClient(fastapi_app).get("/me").status_code == 401
