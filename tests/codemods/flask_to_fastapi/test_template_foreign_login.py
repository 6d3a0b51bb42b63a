"""A real Flask-Login ``LoginManager`` an extension left on Flask sets on the converted app (Flask-Security's
``init_app``): the helper's ``current_user`` ran its loaders outside Flask's request context (they read
``current_app`` and ``request.args``: every request failed) and read 0.5+'s ``_user_callback`` only (Flask-Login 0.4
names it ``user_callback``: AttributeError), and found no user signed in by Flask-Login 0.4, whose ``login_user``
keeps the id under ``user_id`` (0.5+: ``_user_id``). The stand-in extension ``flask_guard`` keeps the test offline."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from codemod_helpers import write_tree

from codemods import runner

GUARD = textwrap.dedent(
    """\
    import flask
    from flask_login import AnonymousUserMixin, LoginManager, UserMixin


    class User(UserMixin):
        def __init__(self, name):
            self.id = name


    class OldLoginManager(LoginManager):  # Flask-Login 0.4's names
        user_callback = request_callback = None

        def user_loader(self, callback):
            self.user_callback = callback
            return callback

        def request_loader(self, callback):
            self.request_callback = callback
            return callback

        def __getattribute__(self, name):
            if name in ("_user_callback", "_request_callback"):
                raise AttributeError(name)
            return super().__getattribute__(name)


    def _by_id(user_id):
        return User(flask.current_app.extensions["guard"] + user_id)


    def _by_token(request):
        token = request.args.get("token")
        return User(flask.current_app.extensions["guard"] + token) if token else None


    def sign_in(user):  # Flask-Login 0.4's login_user: its session key is "user_id" (0.5+: "_user_id")
        flask.session["user_id"] = user.id[len("user:"):]


    class Guard:
        def init_app(self, app):
            app.extensions["guard"] = "user:"
            manager = OldLoginManager()
            manager.anonymous_user = AnonymousUserMixin
            manager.user_loader(_by_id)
            manager.request_loader(_by_token)
            manager.init_app(app)
    """
)
FILES = {
    "flask_guard.py": GUARD,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask
        from flask_guard import Guard, User, sign_in
        from flask_login import current_user


        def create_app():
            app = Flask(__name__)
            app.config["SECRET_KEY"] = "s"
            Guard().init_app(app)

            @app.route("/sign-in/<name>")
            def sign_in_view(name):
                sign_in(User("user:" + name))
                return "signed in"

            @app.route("/me")
            def me():
                return current_user.id if current_user.is_authenticated else "anonymous"

            return app
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient
import pkg
client = TestClient(pkg.create_app())
for url in ("/me?token=bob", "/me", "/sign-in/ann", "/me"):
    got = client.get(url)
    print(got.status_code, got.text)
"""


def test_a_login_manager_an_extension_left_on_flask_made_loads_the_user(tmp_path):
    write_tree(tmp_path, FILES)
    assert runner.run("flask-to-fastapi", [tmp_path / "pkg"]).count("failed") == 0
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.split("\n") == ["200 user:bob", "200 anonymous", "200 signed in", "200 user:ann", ""], (
        done.stderr
    )


IN_APP_CONTEXT = """
from codemods.flask_to_fastapi.testclient import FlaskStyleClient
import pkg
app = pkg.create_app()
with app.app_context():  # a suite's app context, kept around its requests: their g is its g
    client = FlaskStyleClient(app)
    for url in ("/me", "/sign-in/ann", "/me"):
        got = client.get(url)
        print(got.status_code, got.get_data(as_text=True))
"""


def test_flask_login_04_loads_the_user_per_request_in_a_suites_app_context(tmp_path):
    """Flask-Login 0.4 kept the user on the request context; the helper kept it on ``g``, which a suite's app context
    shares between requests: the anonymous user of a first request stayed after a login."""
    write_tree(tmp_path, FILES)
    assert runner.run("flask-to-fastapi", [tmp_path / "pkg"]).count("failed") == 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(Path(runner.__file__).parents[1])])}
    done = subprocess.run(
        [sys.executable, "-c", IN_APP_CONTEXT], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env
    )
    assert done.stdout.split("\n") == ["200 anonymous", "200 signed in", "200 user:ann", ""], done.stderr


OWN_LOGIN = {
    **FILES,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask, request, session
        from flask_guard import Guard, User
        from flask_login import current_user, login_user, logout_user


        def create_app():
            app = Flask(__name__)
            app.config["SECRET_KEY"] = "s"
            Guard().init_app(app)

            @app.route("/login/<name>")
            def login(name):
                login_user(User(name), remember="remember" in request.args)
                return ",".join(sorted(k for k in session if "user_id" in k or "remember" in k))

            @app.route("/logout")
            def logout():
                logout_user()
                return ",".join(sorted(k for k in session if "user_id" in k))

            @app.route("/me")
            def me():
                return current_user.id if current_user.is_authenticated else "anonymous"

            return app
        """
    ),
}
OWN_CHECK = """
from fastapi.testclient import TestClient
import pkg
client = TestClient(pkg.create_app())
for url in ("/login/ann", "/me", "/logout", "/me", "/login/bob?remember=1", "/me"):
    got = client.get(url)
    print(got.status_code, got.text)
"""


def test_the_apps_own_login_user_writes_the_real_managers_session_keys(tmp_path):
    """The app's own ``login_user``/``logout_user`` (the helper's once converted) under a real Flask-Login 0.4
    manager wrote 0.5+'s ``_user_id``/``_remember``, which the manager (and the helper, reading its key) never read:
    Flask-Login's ``current_user`` in Flask's contexts (a ``with client:`` test's, after Flask-Security's confirm
    view signed the user in through the app's own signal receiver) and the next request's were anonymous."""
    write_tree(tmp_path, OWN_LOGIN)
    assert runner.run("flask-to-fastapi", [tmp_path / "pkg"]).count("failed") == 0
    done = subprocess.run([sys.executable, "-c", OWN_CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.split("\n") == [
        "200 user_id",  # 0.4's key, which its current_user reads
        "200 user:ann",
        "200 ",
        "200 anonymous",
        "200 remember,user_id",  # its after_request hook turns "remember" into the cookie
        "200 user:bob",
        "",
    ], done.stderr
