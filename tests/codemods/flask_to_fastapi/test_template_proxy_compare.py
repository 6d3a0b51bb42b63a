"""The helper's proxies (``current_user``, ``request``, ``g``) compare, hash and print as the object they
stand for, as Werkzeug's LocalProxy does: ``current_user != photo.author`` was always true (the proxy is not the
user), so moments' owners got 403 on their own comments, photos and tags."""

from __future__ import annotations

import textwrap

from side_by_side import assert_same, convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask, abort
    from flask_login import LoginManager, UserMixin, current_user, login_user

    app = Flask(__name__)
    app.secret_key = "k"
    login = LoginManager(app)


    class User(UserMixin):
        def __init__(self, id):
            self.id = id

        def __eq__(self, other):
            return isinstance(other, User) and other.id == self.id

        __hash__ = object.__hash__


    USERS = {"1": User("1"), "2": User("2")}
    OWNER = USERS["1"]


    @login.user_loader
    def load(user_id):
        return USERS.get(user_id)


    @app.route("/login/<user_id>")
    def do_login(user_id):
        login_user(USERS[user_id])
        return "in"


    @app.route("/mine")
    def mine():
        if current_user != OWNER:
            abort(403)
        return "yours " + str(current_user == OWNER)
""")


def test_current_user_compares_as_the_user(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "ownerapp.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "ownerapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "ownerapp")
    assert_same(flask_app, fastapi_app, [("GET", "/login/1"), ("GET", "/mine"), ("GET", "/login/2"), ("GET", "/mine")])
