"""A test signed in through its client, then calling a ``@login_required`` view by hand in the request context it
pushed for the whole test, is signed in, as under Flask-Login 0.6.2+.

Flask-Login's ``current_user`` is ``g._login_user`` whatever the session, and the test's pushed context shares ``g``
(its app context) with the requests its client makes: the login request's user is the test's. The helper's manager
keeps the user with the session's user id it was loaded for (a test's own ``login_user``, changing its context's
session, loads it again), and the test's context, whose session names no user, loaded it again: anonymous, the login
view's redirect where Flask's view ran. Now, where no request is being served and the user was kept by another
request's session, a session naming no user keeps it. Side by side with Flask; noops: before the login, and in the
requests its client makes after a logout, the view refuses on both.
"""

from __future__ import annotations

import asyncio
import inspect
import shutil
import sys

from side_by_side import load

from codemods import runner

APP = """\
from flask import Flask, request
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user

app = Flask(__name__)
app.config["SECRET_KEY"] = "s"
login_manager = LoginManager(app)
ROWS = {"1": "ann"}


class User(UserMixin):
    def __init__(self, user_id):
        self.id, self.name = user_id, ROWS[user_id]


@login_manager.user_loader
def by_id(user_id):
    return User(user_id) if user_id in ROWS else None


@app.route("/login/<user_id>")
def login(user_id):
    login_user(User(user_id))
    return "in"


@app.route("/logout")
def logout():
    logout_user()
    return "out"


@app.route("/me")
@login_required
def me():
    return "me: " + current_user.name + " at " + request.path
"""

TESTS = """\
from signing.app import app, me


def test_me():
    with app.test_request_context("/"):
        assert me() == "me: ann at /"
"""


def _answers(app, client_class) -> list:
    views = sys.modules["signing.app"]

    def by_hand():
        try:
            answer = views.me()
            answer = asyncio.run(answer) if inspect.isawaitable(answer) else answer
        except Exception as error:  # Flask's abort(401), FastAPI's HTTPException
            return getattr(error, "code", None) or error.status_code
        return str(answer) if isinstance(answer, str) else answer.status_code

    answers = []
    with app.test_request_context("/"):  # the test's, pushed for the whole test
        client = client_class(app)
        answers.append(by_hand())  # noop: nobody signed in
        client.get("/login/1")
        answers.append(by_hand())
        answers.append(client.get("/me").status_code)
        client.get("/logout")
        answers.append(client.get("/me").status_code)  # noop: its requests after the logout refuse
    return answers


def test_a_test_signed_in_through_its_client_calls_a_login_required_view(tmp_path):
    project = tmp_path / "project"
    (project / "signing").mkdir(parents=True)
    (project / "signing" / "__init__.py").write_text("")
    (project / "signing" / "app.py").write_text(APP)
    (project / "checks").mkdir()
    (project / "checks" / "test_me.py").write_text(TESTS)
    converted = tmp_path / "converted"
    shutil.copytree(project, converted)
    runner.run("flask-to-fastapi", [converted / "signing"])
    assert "flask_login" not in (converted / "signing" / "app.py").read_text()  # the helper's own manager
    from flask.testing import FlaskClient

    from codemods.flask_to_fastapi.testclient import FlaskStyleClient

    flask_app = load(project, "signing.app")
    flasks = _answers(flask_app, FlaskClient)
    answers = _answers(load(converted, "signing.app"), FlaskStyleClient)
    assert answers == flasks == [401, "me: ann at /", 200, 401]
