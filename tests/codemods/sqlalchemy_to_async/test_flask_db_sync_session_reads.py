"""``db.sync_session`` where converted code cannot await (a Flask-Login user loader, a property): in a request on
the loop its reads go through the request's ``AsyncSession`` on the sync engine, so the user it loads can go into
the request's new objects (a comment's author) as in Flask-SQLAlchemy's one session; with no loop running (a
test's ``setUp``) it is the sync session, as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from codemod_helpers import run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = """\
import os

from flask_sqlalchemy import SQLAlchemy


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ["APP_DATABASE_URL"]}
    hooks = {"teardown": []}


class Logins:
    def user_loader(self, fn):
        self.load = fn
        return fn


app = App()
db = SQLAlchemy(app)
login_manager = Logins()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


class Comment(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(50))
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    author = db.relationship("User")


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id))


def new_comment(author, body):
    db.session.add(Comment(body=body, author=author))
    db.session.commit()


def comments():
    return [(c.author.name, c.body) for c in Comment.query.order_by(Comment.id).all()]
"""

RUN = """\
import asyncio, json
import program
from program import User, db

db.create_all()
db.session.add(User(name="grey"))  # a test's setUp: no loop runs, db.sync_session is the sync session
db.session.commit()
seen = {"no loop": program.load_user("1").name}


async def request():  # a view on the loop: Flask-Login calls the loader, the view adds what it made
    current_user = program.load_user("1")
    await program.new_comment(current_user, "hello")
    found = await program.comments()
    await db.session.remove()
    return found


seen["request"] = asyncio.run(request())
print(json.dumps(seen))
"""


@pytest.mark.parametrize("database", ["file", "memory"])
def test_a_user_loaders_user_goes_into_the_requests_new_objects(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "db.sync_session.get(User" in converted and "async def new_comment" in converted
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"no loop": "grey", "request": [["grey", "hello"]]}
