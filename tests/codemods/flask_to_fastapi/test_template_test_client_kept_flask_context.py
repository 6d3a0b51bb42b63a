"""In a ``with client:`` block, what the test reads through Flask's own names is the last request's, as in Flask.

Flask's client kept each request's context pushed until the next request or the block's end: a test asserts
Flask-Login's ``current_user == user`` after a login request, or calls a function decorated by an extension left on
Flask (Flask-Security's ``auth_required``, Flask-Principal's ``g.identity`` set by its hook) that reads them. The
helper's proxies read the kept request already; Flask's ``current_user``, ``session``, ``g`` and ``request`` read the
test's own context (its ``test_request_context()``: anonymous, empty; none: ``current_user`` None). A stand-in
extension (``flask_visits``, not converted) sets ``flask.g`` in its ``before_request`` hook.
"""

from __future__ import annotations

import sys

from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

EXTENSION = """\
import flask


class Visits:
    def __init__(self, app):
        app.extensions["visits"] = self
        app.before_request(self._stamp)

    def _stamp(self):
        flask.g.visitor = flask.request.headers.get("X-Visitor", "nobody")
"""
APP = """\
import functools

from flask import Flask, request
from flask_login import LoginManager, UserMixin, login_user
from flask_visits import Visits

app = Flask(__name__)
app.config["SECRET_KEY"] = "s"
login_manager = LoginManager(app)
Visits(app)


class User(UserMixin):
    def __init__(self, id):
        self.id = id


@login_manager.user_loader
def load_user(user_id):
    return User(user_id)


@app.route("/login", methods=["POST"])
def login():
    login_user(User(request.form["user"]))
    return "ok"


def with_owner(fn):
    @functools.wraps(fn)
    def decorated(*args, **kwargs):
        return fn(request.view_args["id"], *args, **kwargs)

    return decorated


@app.route("/users/<int:id>")
def user(id):
    return {"id": id}
"""


def _as_the_test_sees_it(app, client) -> list:
    import flask
    import flask_login

    seen = []
    with app.app_context():
        with client:
            client.post("/login", data={"user": "ada"}, headers={"X-Visitor": "ann"})
            user = flask_login.current_user
            seen.append((user.is_authenticated and user.id, flask.g.visitor, flask.request.path))
            seen.append(flask.request.remote_addr)
        seen.append(flask.has_request_context())  # the block's end pops them
    return seen


def test_flasks_names_read_the_last_request_in_a_with_client_block(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "flask_visits.py").write_text(EXTENSION)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "keptlogin.py").write_text(APP)
    sys.path.insert(0, str(tmp_path / "lib"))
    try:
        flask_app = load(tmp_path / "src", "keptlogin")
        expected = _as_the_test_sees_it(flask_app, flask_app.test_client())
        assert expected == [("ada", "ann", "/login"), "127.0.0.1", False]
        convert_tree(tmp_path / "src", tmp_path / "out")
        fastapi_app = load(tmp_path / "out", "keptlogin")
        assert _as_the_test_sees_it(fastapi_app, FlaskStyleClient(fastapi_app)) == expected
    finally:
        sys.path.remove(str(tmp_path / "lib"))
        sys.modules.pop("flask_visits", None)


def _view_args_set_by_the_test(app, client, module, monkeypatch) -> list:
    """The test sets Flask's ``request.view_args`` after a request and calls code reading them (a decorator's user
    check): the converted code reads the helper's ``request.path_params``."""
    seen = []
    with app.app_context(), client:
        client.get("/users/1")
        owner = module.with_owner(lambda id: id)
        seen.append(owner())
        monkeypatch.setattr("flask.request.view_args", {"id": 2})
        seen.append(owner())
        monkeypatch.undo()
    return seen


def test_view_args_the_test_sets_are_the_requests(tmp_path, monkeypatch):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "flask_visits.py").write_text(EXTENSION)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "keptargs.py").write_text(APP)
    sys.path.insert(0, str(tmp_path / "lib"))
    try:
        flask_app = load(tmp_path / "src", "keptargs")
        seen = _view_args_set_by_the_test(flask_app, flask_app.test_client(), sys.modules["keptargs"], monkeypatch)
        assert seen == [1, 2]
        convert_tree(tmp_path / "src", tmp_path / "out")
        fastapi_app = load(tmp_path / "out", "keptargs")
        client = FlaskStyleClient(fastapi_app)
        assert _view_args_set_by_the_test(fastapi_app, client, sys.modules["keptargs"], monkeypatch) == seen
    finally:
        sys.path.remove(str(tmp_path / "lib"))
        sys.modules.pop("flask_visits", None)
