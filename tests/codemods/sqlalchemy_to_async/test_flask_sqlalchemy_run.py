"""A small Flask-SQLAlchemy module converted, imported and run with asyncio on aiosqlite.

It runs on the ``db`` flask-to-fastapi writes (``_flask_sqlalchemy.py``) with the async one this codemod writes
beside it: the models and ``create_all`` on the sync engine, every converted query on ``db.session``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from codemod_helpers import run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = """\
import os

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, select


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ["APP_DATABASE_URL"]}
    hooks = {"teardown": []}  # as flask-to-fastapi's app has them: run when a request ends


app = App()
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), unique=True)
    posts = db.relationship("Post", back_populates="author")
    drafts = db.relationship("Post", lazy="write_only", viewonly=True)  # a query of its own: never eager-loaded


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    author = db.relationship("User", back_populates="posts")


def write(name):
    db.session.add(Post(author=User.query.filter_by(name=name).first()))
    db.session.commit()


def posts():
    return Post.query.order_by(Post.id).all()  # a template reads post.author.name after the view returns


def add(names):
    for name in names:
        db.session.add(User(name=name))
    db.session.commit()


def report():
    ordered = [user.name for user in User.query.order_by(User.name).all()]
    bob = User.query.filter_by(name="bob").first()
    same = User.query.get(bob.id) is bob
    total = db.session.execute(select(func.count(User.id))).scalar()
    page = User.query.order_by(User.id).paginate(page=2, per_page=2)
    return {"ordered": ordered, "same": same, "total": total, "page": [u.name for u in page.items], "pages": page.pages}


def missing(key):
    try:
        User.query.get_or_404(key)
    except Exception as exc:
        return getattr(exc, "status_code", None)
"""

RUN = """\
import asyncio, gc, inspect, json, warnings
import program

program.db.create_all()


async def main():
    await program.add(["carol", "alice", "bob", "dave"])
    found = await program.report()
    found["missing"] = await program.missing(99)
    await program.write("alice")
    await program.db.session.remove()
    found["authors"] = [post.author.name for post in await program.posts()]
    with warnings.catch_warnings(record=True) as caught:  # the end of a request: both sessions removed
        warnings.simplefilter("always")
        for hook in program.app.hooks["teardown"]:
            await hook(None) if inspect.iscoroutinefunction(hook) else hook(None)
        gc.collect()
    assert not [w for w in caught if "never awaited" in str(w.message)], [str(w.message) for w in caught]
    await program.db.async_engine.dispose()
    return found


print(json.dumps(asyncio.run(main())))
"""

EXPECTED = {
    "ordered": ["alice", "bob", "carol", "dave"],
    "same": True,
    "total": 4,
    "page": ["bob", "dave"],
    "pages": 2,
    "missing": 404,
    "authors": ["alice"],
}


@pytest.mark.parametrize("database", ["file", "memory"])
def test_the_converted_module_runs_on_aiosqlite(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    compile(converted, "program.py", "exec", dont_inherit=True)
    assert "async def report()" in converted and "User.query" not in converted
    done = run_with_flask_db(tmp_path, converted, notes, database, RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == EXPECTED
