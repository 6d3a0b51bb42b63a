"""Requests a test makes in a ``with client:`` block, after the first, run in the test's own context, as the first
did: Flask ran every request of the block in the test's app context, so they and the test shared Flask-SQLAlchemy's
one session. The block keeps the last request as the test's current request, and the next request took that kept
request for its caller context: its session was one of its own, and what it committed on the test's object reached
another copy (flask-react-spa's PATCH of the test's user: ``assert user.first_name == 'a new name'`` read 'The';
issue 14). Side by side with Flask."""

from __future__ import annotations

import sys

from side_by_side import convert_tree, load

APP = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)

    @app.route("/ping")
    def ping():
        return "pong"

    @app.route("/rename/<int:user_id>/<name>", methods=["POST"])
    def rename(user_id, name):
        user = User.query.get(user_id)
        user.name = name
        db.session.commit()
        return {"name": user.name}

    return app
"""


def _scenario(module, client_of) -> list:
    app = module.create_app()
    found = []
    with app.app_context():
        module.db.create_all()
        user = module.User(name="first")
        module.db.session.add(user)
        module.db.session.commit()
        with client_of(app) as client:
            client.get("/ping")
            found.append(client.post(f"/rename/{user.id}/second").get_json()["name"])
            found.append(user.name)
            found.append(client.post(f"/rename/{user.id}/third").get_json()["name"])
            found.append(user.name)
        found.append(user.name)
    return found


def _module(folder):
    load(folder, "people", "db")  # imported fresh; the module stays until the next load
    return sys.modules["people"]


def test_each_request_of_a_with_client_block_runs_in_the_tests_context(tmp_path):
    (tmp_path / "src" / "people").mkdir(parents=True)
    (tmp_path / "src" / "people" / "__init__.py").write_text(APP)
    flask_module = _module(tmp_path / "src")
    expected = _scenario(flask_module, lambda app: app.test_client())
    assert expected == ["second", "second", "third", "third", "third"]
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_module = _module(tmp_path / "out")
    from codemods.flask_to_fastapi.testclient import FlaskStyleClient

    assert _scenario(fastapi_module, FlaskStyleClient) == expected
