"""An async test in its app context reads, after a request a REST extension's Resource kept on Flask answered (a
worker thread, off the loop), what that request committed, as Flask-SQLAlchemy's one session of a test and its
requests had it. Such a Resource commits on the sync helper's session (``db.sync_session``); an object it changed
was either loaded there (the test's ``AsyncSession`` held a stale copy) or loaded on the loop in the test's own
session, which the request borrows and whose flush does nothing off the loop (its change was left pending, and read
over when the request's own commit on the loop had the test's objects read anew). Both codemods convert the app; the
test is written as they write one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codemod_helpers import write_tree

import codemods
from codemods.runner import run

STAND_IN = """\
from flask import request
from flask.views import MethodView


class Resource(MethodView):
    def dispatch_request(self, *args, **kwargs):  # Flask-RESTful's: the method called, never awaited
        return getattr(self, request.method.lower())(*args, **kwargs)


class Api:
    def __init__(self, app=None):
        self.resources = []
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        for resource, url in self.resources:
            app.add_url_rule(url, view_func=resource.as_view(resource.__name__.lower()))

    def add_resource(self, resource, url):
        self.resources.append((resource, url))
"""
APP = {
    "flask_restful.py": STAND_IN,
    "hostedapp/__init__.py": """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)
    from .resources import api

    api.init_app(app)
    return app
""",
    "hostedapp/models.py": """\
from . import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


class Visit(db.Model):
    id = db.Column(db.Integer, primary_key=True)
""",
    "hostedapp/services.py": """\
from . import db
from .models import User, Visit


def visit():
    db.session.add(Visit())
    db.session.commit()


def load(user_id):
    return User.query.get(user_id)
""",
    "hostedapp/resources.py": """\
from flask import request
from flask_restful import Api, Resource

from . import db
from .models import User
from .services import load, visit

api = Api()


class Rename(Resource):
    def put(self, user_id):
        visit()  # the request's own commit, on the loop
        user = load(user_id)  # on the loop: the test's session, lent
        user.name = request.get_json()["name"]
        db.session.commit()
        return {"name": user.name}


class SyncRename(Resource):
    def put(self, user_id):
        user = User.query.get(user_id)  # the sync helper's session
        user.name = request.get_json()["name"]
        db.session.commit()
        return {"name": user.name}


api.add_resource(Rename, "/users/<int:user_id>")
api.add_resource(SyncRename, "/sync/users/<int:user_id>")
""",
}
TEST = """\
import asyncio

from sqlalchemy import select

from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    from hostedapp import create_app, db
    from hostedapp.models import User

    async def check():
        app = create_app()
        with app.app_context():
            db.create_all()
        with app.app_context():
            db.session.add(User(id=1, name="first"))
            await db.session.commit()
            user = await db.session.get(User, 1)  # held: the test's session keeps it
            print(user.name)
            client = app.test_client()
            for path, name in (("/users/1", "second"), ("/sync/users/1", "third")):
                print(client.put(path, json={"name": name}).get_json()["name"])
                user = (await db.session.execute(select(User).filter_by(id=1))).scalar()
                print(user.name)

    asyncio.run(check())
"""


def test_a_hosted_requests_commit_reaches_the_session_of_a_test_in_its_app_context(tmp_path):
    write_tree(tmp_path / "flask", APP)
    out = tmp_path / "fastapi"
    assert run("flask-to-fastapi", [tmp_path / "flask/hostedapp"], out=out / "hostedapp").count("failed") == 0
    (out / "flask_restful.py").write_text(STAND_IN)
    assert run("sqlalchemy-to-async", [out / "hostedapp"]).count("failed") == 0
    resources = (out / "hostedapp/resources.py").read_text()
    assert "user = _on_serving_loop(load(user_id))" in resources and "db.sync_session.commit()" in resources
    path = f"{out}:{Path(codemods.__file__).parents[1]}"
    done = subprocess.run(
        [sys.executable, "-c", TEST], env={"PYTHONPATH": path}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == ["first", "second", "second", "third", "third"], done.stdout
