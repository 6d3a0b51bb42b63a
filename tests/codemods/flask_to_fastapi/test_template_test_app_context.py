"""A test holding ``app.app_context()`` sees what its requests wrote, through its own objects: Flask's test
client ran the request in that app context, so the test and the view shared one Flask-SQLAlchemy session.
The converted app gave the request its own session and the test's object stayed stale (moments'
``assertTrue(user.confirmed)`` after ``/auth/confirm``)."""

from __future__ import annotations

from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    confirmed = db.Column(db.Boolean, default=False)


@app.route("/confirm/<int:user_id>", methods=["POST"])
def confirm(user_id):
    user = db.session.get(User, user_id)
    user.confirmed = True
    db.session.commit()
    return "ok"
"""


def _confirmed_as_the_test_sees_it(app, client, module) -> bool:
    context = app.app_context()
    context.push()
    try:
        module.db.create_all()
        user = module.User()
        module.db.session.add(user)
        module.db.session.commit()
        assert user.confirmed is False
        assert client.post(f"/confirm/{user.id}").status_code == 200
        return user.confirmed
    finally:
        module.db.session.remove()
        context.pop()


def test_the_tests_object_sees_the_requests_commit_as_in_flask(tmp_path):
    import sys

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "confirmapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "confirmapp")
    assert _confirmed_as_the_test_sees_it(flask_app, flask_app.test_client(), sys.modules["confirmapp"]) is True
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "confirmapp")
    client = FlaskStyleClient(fastapi_app)
    assert _confirmed_as_the_test_sees_it(fastapi_app, client, sys.modules["confirmapp"]) is True


def _confirmed_in_a_test_request_context(app, client, module) -> bool:
    context = app.test_request_context()  # albumy's setUp: a request context, whose app context the client uses
    context.push()
    try:
        module.db.create_all()
        user = module.User()
        module.db.session.add(user)
        module.db.session.commit()
        assert client.post(f"/confirm/{user.id}").status_code == 200
        return user.confirmed
    finally:
        module.db.session.remove()
        context.pop()


def test_a_test_request_context_is_the_requests_context_too(tmp_path):
    import sys

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "confirmrequestapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "confirmrequestapp")
    module = sys.modules["confirmrequestapp"]
    assert _confirmed_in_a_test_request_context(flask_app, flask_app.test_client(), module) is True
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "confirmrequestapp")
    client = FlaskStyleClient(fastapi_app)
    assert _confirmed_in_a_test_request_context(fastapi_app, client, sys.modules["confirmrequestapp"]) is True


# the view leaves its change in the session, uncommitted
UNCOMMITTED = APP.replace("    db.session.commit()\n    return", "    return")


def _seen_in_an_app_context_and_a_request_context(app, client, module) -> bool:
    """pytest-flask's order: the test's ``app.app_context()`` (a session-wide fixture), then its autouse
    ``app.test_request_context()`` inside it. Flask's request context reused that app context, and so did the
    client's request: one session for the test and the view, whose uncommitted change is on the test's object."""
    outer = app.app_context()
    outer.push()
    inner = app.test_request_context()
    inner.push()
    try:
        module.db.create_all()
        user = module.User()
        module.db.session.add(user)
        module.db.session.commit()
        assert client.post(f"/confirm/{user.id}").status_code == 200
        return user.confirmed
    finally:
        module.db.session.remove()
        inner.pop()
        outer.pop()


def test_a_request_context_in_the_tests_app_context_shares_its_session(tmp_path):
    import sys

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "nestedcontextapp.py").write_text(UNCOMMITTED)
    flask_app = load(tmp_path / "src", "nestedcontextapp")
    module = sys.modules["nestedcontextapp"]
    assert _seen_in_an_app_context_and_a_request_context(flask_app, flask_app.test_client(), module) is True
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "nestedcontextapp")
    client = FlaskStyleClient(fastapi_app)
    assert _seen_in_an_app_context_and_a_request_context(fastapi_app, client, sys.modules["nestedcontextapp"]) is True
