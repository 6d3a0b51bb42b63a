"""The helper's own ``LoginManager`` (the app's ``from flask_login import LoginManager`` converted) where the app's
Flask-Login, still installed, is older than 0.6.2: that one kept the loaded user on the request context, 0.6.2+
on ``g``. A suite's app context, kept around its tests, shares ``g`` between their requests: the user a first
test's request loaded stayed for the next test's user of the same id (its row rolled back and written again), an
object of the old test's session (its view changed the old test's rows, or 'Can't attach instance ... already
present': a 500). Under 0.5 to 0.6.1 each request loads its user anew; under 0.6.2+ the user on ``g`` stays, as
Flask-Login keeps it there."""

from __future__ import annotations

import importlib.metadata
import sys

from side_by_side import convert_tree, load

APP = """\
from flask import Flask
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user

app = Flask(__name__)
app.config["SECRET_KEY"] = "s"
login_manager = LoginManager(app)
ROWS = {"1": "ann"}  # the database: a test's rows, rolled back at its end


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


@app.route("/me")
@login_required
def me():
    return {"me": current_user.name}
"""


def _answers(app, rows, monkeypatch, flask_login):
    real = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: flask_login if name.lower() == "flask-login" else real(name)
    )
    sys.modules["per_request._flask_compat.login_set_by_app"].installed_version.cache_clear()  # read once a process
    from codemods.flask_to_fastapi.testclient import FlaskStyleClient

    rows.clear()
    rows["1"] = "ann"
    answers = []
    with app.app_context():  # the suite's, kept around its tests
        client = FlaskStyleClient(app)
        client.get("/login/1")
        answers.append(client.get("/me").get_json())
        rows["1"] = "bob"  # the next test: its own row of the same id
        answers.append(client.get("/me").get_json())
    return answers


def test_flask_login_05_loads_the_user_in_each_request_in_a_suites_app_context(tmp_path, monkeypatch):
    package = tmp_path / "src" / "per_request"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "app.py").write_text(APP)
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = load(tmp_path / "out", "per_request.app")
    assert "flask_login" not in (tmp_path / "out" / "per_request" / "app.py").read_text()  # the helper's own manager
    rows = sys.modules["per_request.app"].ROWS
    assert _answers(converted, rows, monkeypatch, "0.5.0") == [{"me": "ann"}, {"me": "bob"}]
    # 0.6.0 and 0.6.1 still keep it on the request context (0.6.2 moved it to g._login_user)
    assert _answers(converted, rows, monkeypatch, "0.6.1") == [{"me": "ann"}, {"me": "bob"}]
    # noop: Flask-Login 0.6+ keeps the user on g, shared by the suite's app context's requests
    assert _answers(converted, rows, monkeypatch, "0.6.3") == [{"me": "ann"}, {"me": "ann"}]
