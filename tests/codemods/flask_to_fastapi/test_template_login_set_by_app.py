"""A user the app makes the signed-in one for one request, Flask-Login's way: ``g._login_user = user`` (Flask-Login
0.6.2+) or ``_request_ctx_stack.top.user = user`` (before 0.6.2), in a ``before_request`` that takes an API key. The
helper's ``current_user`` read the session only: such a request was anonymous (401 where Flask answered as for the
key's owner). A user signed in by the session is still the one when the app sets none; none at all is anonymous."""

from __future__ import annotations

import importlib

from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
from flask import Flask, abort, g, request
from flask_login import LoginManager, UserMixin, current_user, login_user

from {setter} import sign_in_for_request

app = Flask(__name__)
app.config["SECRET_KEY"] = "s"
login_manager = LoginManager(app)
KEYS = {{"k1": "ann", "k2": "bob"}}


class User(UserMixin):
    def __init__(self, name):
        self.id = name


@login_manager.user_loader
def by_id(user_id):
    return User(user_id)


@app.before_request
def api_key():
    name = KEYS.get(request.args.get("api_key"))
    if name:
        sign_in_for_request(User(name))


@app.route("/login/<name>")
def login(name):
    login_user(User(name))
    return "in"


@app.route("/me")
def me():
    if not current_user.is_authenticated:
        abort(401)
    return {{"me": current_user.get_id()}}


@app.route("/logout-then-me")
def logout_then_me():
    from flask_login import logout_user

    logout_user()
    return {{"authenticated": current_user.is_authenticated}}
"""

ON_G = """\
from flask import g


def sign_in_for_request(user):
    g._login_user = user
"""

ON_CONTEXT = """\
from flask import _request_ctx_stack


def sign_in_for_request(user):
    _request_ctx_stack.top.user = user
"""

REQUESTS = [
    ("GET", "/me"),
    ("GET", "/me?api_key=k1"),
    ("GET", "/me?api_key=nope"),
    ("GET", "/logout-then-me?api_key=k2"),
    ("GET", "/login/carl"),
    ("GET", "/me"),
    ("GET", "/me?api_key=k2"),
    ("GET", "/me?api_key=nope"),
]


def _tree(tmp_path, name, setter):
    package = tmp_path / "src" / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "auth.py").write_text(setter)
    (package / "app.py").write_text(APP.format(setter=f"{name}.auth"))
    return package


def test_side_by_side_a_user_the_app_sets_on_g_is_current_user(tmp_path):
    _tree(tmp_path, "keyed_g", ON_G)
    flask_app = load(tmp_path / "src", "keyed_g.app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "keyed_g.app")
    assert_same(flask_app, fastapi_app, REQUESTS)


def test_a_user_the_app_sets_on_the_request_context_is_current_user_before_flask_login_0_6_2(tmp_path, monkeypatch):
    """Flask 2.3+ has no ``_request_ctx_stack`` (this venv's): the converted app alone, its answers Flask's under
    Flask-Login 0.6.1 (read in its ``_get_user``); 0.6.2+ reads ``g`` only, and the request stays anonymous."""
    _tree(tmp_path, "keyed_ctx", ON_CONTEXT)
    convert_tree(tmp_path / "src", tmp_path / "out")
    app = load(tmp_path / "out", "keyed_ctx.app")
    by_app = importlib.import_module("keyed_ctx._flask_compat.login_set_by_app")
    answers = {}
    for version in ((0, 6, 1), (0, 6, 3)):
        monkeypatch.setattr(by_app, "installed_version", lambda version=version: version)
        client = FlaskStyleClient(app)
        answers[version] = [(r.status_code, r.get_json(silent=True)) for r in (client.get(p) for _, p in REQUESTS)]
    assert answers[(0, 6, 1)] == [
        (401, None),
        (200, {"me": "ann"}),
        (401, None),
        (200, {"authenticated": False}),
        (200, None),
        (200, {"me": "carl"}),
        (200, {"me": "bob"}),
        (200, {"me": "carl"}),
    ]
    assert answers[(0, 6, 3)] == [
        (401, None),
        (401, None),
        (401, None),
        (200, {"authenticated": False}),
        (200, None),
        (200, {"me": "carl"}),
        (200, {"me": "carl"}),
        (200, {"me": "carl"}),
    ]
