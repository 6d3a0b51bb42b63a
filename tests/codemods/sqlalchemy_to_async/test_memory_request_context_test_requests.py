"""An async test inside ``test_request_context()`` (pytest-flask pushes one around every test) reads, after a
request on the shared in-memory SQLite database, what the request committed, as Flask-SQLAlchemy's one session of a
test and its requests had it: a renamed row and a collection a member left. The request borrows the test's own
``AsyncSession`` (kept under the test request's key, where only an ``app_context()``'s was looked up) and, once it has
ended, the objects it committed are read anew (Flask-SQLAlchemy's ``expire_on_commit``). The app goes through both
codemods; the test is written as they write one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codemod_helpers import write_tree

import codemods
from codemods.runner import run

APP = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Project(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
    members = db.relationship("Person", backref="project")


class Person(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    project_id = db.Column(db.Integer, db.ForeignKey("project.id"))


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)

    @app.route("/leave/<int:person_id>", methods=["POST"])
    def leave(person_id):
        person = Person.query.get(person_id)
        person.project.name = "renamed"
        db.session.delete(person)
        db.session.commit()
        return "done"

    return app
"""

TEST = """\
import asyncio

from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    from projectapp import Person, Project, create_app, db

    async def check():
        app = create_app()
        with app.app_context():
            db.create_all()
        with app.test_request_context():
            db.session.add(Project(id=1, name="first", members=[Person(id=1), Person(id=2)]))
            await db.session.commit()
            project = await db.session.get(Project, 1)
            print(project.name, len(project.members))
            print(app.test_client().post("/leave/2").status_code)
            project = await db.session.get(Project, 1)
            print(project.name, len(project.members))

    asyncio.run(check())
"""


def test_the_requests_commit_reaches_the_session_of_a_test_in_a_request_context(tmp_path):
    write_tree(tmp_path / "flask", {"projectapp/__init__.py": APP})
    assert (
        run("flask-to-fastapi", [tmp_path / "flask/projectapp"], out=tmp_path / "fastapi/projectapp").count("failed")
        == 0
    )
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi/projectapp"]).count("failed") == 0
    converted = (tmp_path / "fastapi/projectapp/__init__.py").read_text()
    assert "await db.session.commit()" in converted
    path = f"{tmp_path / 'fastapi'}:{Path(codemods.__file__).parents[1]}"
    done = subprocess.run(
        [sys.executable, "-c", TEST], env={"PYTHONPATH": path}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["first 2", "200", "renamed 1"]
