"""A test's request on the in-memory SQLite database reads and writes through the test's own session, as
Flask-SQLAlchemy's one session of a test and its requests did: a plain attribute the view sets on what it loaded
(``setattr(relation, "sent_by_me", ...)``, read by the test's ``marshal(self.relation, ...)``) reaches the test's
object. The app goes through both codemods and its test drives it with the Flask-style test client."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codemod_helpers import write_tree

import codemods
from codemods.runner import run

APP = """\
from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Relation(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    sender_id = db.Column(db.Integer)


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)

    @app.route("/relations/<int:user_id>")
    def relations(user_id):
        found = Relation.query.all()
        for relation in found:
            setattr(relation, "sent_by_me", relation.sender_id == user_id)
        return jsonify([relation.id for relation in found])

    return app
"""

# a unittest TestCase's setUp (Flask-Testing pushes the app context), then two of its requests
TEST = """\
from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    from relay import Relation, create_app, db

    app = create_app()
    app.app_context().push()
    db.create_all()
    relation = Relation(sender_id=1)
    db.session.add(relation)
    db.session.commit()
    client = app.test_client()
    for user_id in (1, 2):
        answer = client.get(f"/relations/{user_id}")
        print(answer.status_code, answer.get_json(), relation.sent_by_me, relation in db.session())
"""


def test_a_plain_attribute_the_view_sets_reaches_the_tests_object(tmp_path):
    write_tree(tmp_path / "flask", {"relay/__init__.py": APP})
    assert run("flask-to-fastapi", [tmp_path / "flask/relay"], out=tmp_path / "fastapi/relay").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi/relay"]).count("failed") == 0
    converted = (tmp_path / "fastapi/relay/__init__.py").read_text()
    assert "found = (await db.session.execute(select(Relation))).scalars().all()" in converted
    path = f"{tmp_path / 'fastapi'}:{Path(codemods.__file__).parents[1]}"
    done = subprocess.run(
        [sys.executable, "-c", TEST], env={"PYTHONPATH": path}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["200 [1] True True", "200 [1] False True"]
