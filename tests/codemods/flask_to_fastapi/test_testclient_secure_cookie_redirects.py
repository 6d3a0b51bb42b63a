"""A ``Secure`` session cookie set by a response a test follows (``follow_redirects=True``) goes with the next request.

Werkzeug 2.3+'s test client matches a cookie by domain and path only: a cookie set ``Secure``
(``SESSION_COOKIE_SECURE = True``) is sent back over http. The Flask-style client cleared httpx's ``Secure`` flags
once the request was done, after its redirects: a login that set the session and redirected to a page reading it
landed with no session (the app's login page again, its flashed message unseen), though the next request had it.
"""

from __future__ import annotations

import pytest
from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi.testclient import _werkzeug

APP = """\
from flask import Flask, flash, get_flashed_messages, redirect, session

app = Flask(__name__)
app.config.update(SECRET_KEY="s", SESSION_COOKIE_SECURE=True)


@app.route("/login", methods=["POST"])
def login():
    session["user"] = "ada"
    flash("Welcome back")
    return redirect("/home")


@app.route("/home")
def home():
    if "user" not in session:
        return redirect("/sign-in")
    return {"user": session["user"], "flashes": get_flashed_messages()}


@app.route("/sign-in")
def sign_in():
    return {"user": None}
"""


def test_a_secure_session_cookie_set_before_a_redirect_is_sent_to_its_target(tmp_path):
    if (_werkzeug() or (0,)) < (2, 3):
        pytest.skip("Werkzeug's client before 2.3 kept Secure")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "secureapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "secureapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "secureapp")
    assert_same(
        flask_app,
        fastapi_app,
        [("POST", "/login", {"follow_redirects": True}), ("GET", "/home"), ("POST", "/login"), ("GET", "/home")],
    )
