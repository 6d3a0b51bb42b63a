"""The old tests' ``app.test_request_context(...)`` on the converted app, as Flask pushed it.

- Code left on Flask (an installed library, an OAuth provider's ``verify_request``) reads ``flask.request``: the
  Flask request pushed beside the helper's had the path only, not the headers and body the test gave (a bearer
  token never seen: every user None).
- Inside the test's ``app.app_context()`` Flask pushes no app context of its own, so Flask-SQLAlchemy's session is
  the one the test holds: a row it added is the same object there (the helper scoped a session per request
  context: an equal row but another object, and ``assert loaded == user`` failed).
"""

from __future__ import annotations

import sys

import pytest
from side_by_side import convert_tree, load

LIBRARY = """\
import flask


def bearer():
    return flask.request.headers.get("Authorization"), flask.request.get_data(as_text=True)
"""
APP = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)

    @app.route("/")
    def index():
        return "hi"

    return app
"""


@pytest.fixture(scope="module", params=["flask", "converted"])
def app(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("test_request_context")
    (root / "lib").mkdir()
    (root / "lib" / "tokenlib.py").write_text(LIBRARY)  # installed, not converted
    (root / "src").mkdir()
    (root / "src" / "userapp.py").write_text(APP)
    sys.path.insert(0, str(root / "lib"))
    try:
        if request.param == "converted":
            convert_tree(root / "src", root / "out")
        yield load(root / ("out" if request.param == "converted" else "src"), "userapp", "create_app")
    finally:
        sys.path.remove(str(root / "lib"))
        sys.modules.pop("tokenlib", None)


def test_flasks_own_request_has_the_headers_and_body_the_test_gave(app):
    import tokenlib

    with app.test_request_context("/", method="POST", headers=[("Authorization", "Bearer t")], data="payload"):
        assert tokenlib.bearer() == ("Bearer t", "payload")


def test_a_request_context_in_the_tests_app_context_has_its_db_session(app):
    userapp = sys.modules["userapp"]
    with app.app_context():
        userapp.db.create_all()
        user = userapp.User(id=1, name="ann")
        userapp.db.session.add(user)
        userapp.db.session.commit()
        with app.test_request_context("/"):
            assert userapp.db.session.get(userapp.User, 1) is user
        assert userapp.db.session.get(userapp.User, 1) is user
        userapp.db.drop_all()
