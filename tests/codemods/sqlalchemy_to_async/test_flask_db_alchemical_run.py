"""A small Alchemical (Flask) module converted, imported and run with asyncio on aiosqlite, beside the helper.

The app's own sync code (a test's setup, outside any event loop) keeps Alchemical's session of the Flask app
context; the converted functions await ``db.session``, an ``AsyncSession`` on the same database (one shared
in-memory SQLite database too), whose queries load relationships (not write-only ones) before they are read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codemods.sqlalchemy_to_async import CODEMOD

pytest.importorskip("alchemical")
pytest.importorskip("aiosqlite")

PROGRAM = """\
import os
from typing import Optional

import sqlalchemy as sa
from alchemical.flask import Alchemical, Model
from flask import Flask
from sqlalchemy import orm as so

db = Alchemical()


class User(Model):
    __tablename__ = "users"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(50), unique=True)
    posts: so.WriteOnlyMapped["Post"] = so.relationship(back_populates="author")


class Post(Model):
    __tablename__ = "posts"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    text: so.Mapped[Optional[str]] = so.mapped_column(sa.String(50))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(User.id))
    author: so.Mapped[User] = so.relationship(back_populates="posts")


def create_app():
    app = Flask(__name__)
    app.config["ALCHEMICAL_DATABASE_URL"] = os.environ["APP_DATABASE_URL"]
    db.init_app(app)
    return app


def write(name, text):
    user = db.session.scalar(User.select().filter_by(name=name))
    db.session.add(Post(text=text, author=user))
    db.session.commit()


def author_of(post_id):
    post = db.session.get(Post, post_id)
    return post.author.name  # a lazy load under asyncio, unless the query loaded it


def texts(name):
    user = db.session.scalar(User.select().filter_by(name=name))
    return db.session.scalars(user.posts.select().order_by(Post.id)).all()
"""

RUN = """\
import asyncio, json
import program
from sqlalchemy import func, select

app = program.create_app()
found = {}
with app.app_context():
    program.db.create_all()
    program.db.session.add_all([program.User(name="ann"), program.User(name="bob")])  # sync: no loop runs
    program.db.session.commit()

    async def main():
        await program.write("ann", "first")
        await program.write("ann", "second")
        found["author"] = await program.author_of(1)
        found["texts"] = [post.text for post in await program.texts("ann")]
        await program.db.session.remove()

    asyncio.run(main())
    found["counted"] = program.db.session.scalar(select(func.count()).select_from(program.Post))  # sync again
print(json.dumps(found))
"""


@pytest.mark.parametrize("database", ["file", "memory"])
def test_the_converted_module_runs_on_aiosqlite(tmp_path: Path, database: str):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    compile(converted, "program.py", "exec", dont_inherit=True)
    assert "from _alchemical_async import Alchemical, Model" in converted and "async def author_of(" in converted
    (tmp_path / "program.py").write_text(converted)
    for name, text in notes.files.items():  # the helper, beside it, as the runner writes it
        (tmp_path / name).write_text(text)
    url = f"sqlite:///{tmp_path / 'app.db'}" if database == "file" else "sqlite://"
    env = {**os.environ, "APP_DATABASE_URL": url, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(RUN)], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"author": "ann", "texts": ["first", "second"], "counted": 2}


SYNC_CALLER_RUN = """\
import asyncio, json
import program
from sqlalchemy import select

app = program.create_app()
with app.app_context():
    program.db.create_all()
    program.db.session.add(program.User(name="cy"))  # the sync caller's own row, not committed yet
    loop = asyncio.new_event_loop()
    loop.asyncshift_sync_caller = True  # a unittest test running a coroutine to its end (_run_to_end)
    loop.run_until_complete(program.write("cy", "mine"))
    loop.close()
    posts = program.db.session.scalars(select(program.Post)).all()
    print(json.dumps([[post.text, post.author.name] for post in posts]))
"""


def test_a_sync_callers_loop_uses_its_sync_session(tmp_path: Path):
    """On a loop a sync caller marked (a unittest test's ``_run_to_end``), ``db.session`` is the caller's sync
    session, awaitable: the converted code sees what the caller added and has not committed, as before (on the
    ``AsyncSession`` the user was not found and the post was written without an author: NOT NULL failed)."""
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    (tmp_path / "program.py").write_text(converted)
    for name, text in notes.files.items():
        (tmp_path / name).write_text(text)
    env = {**os.environ, "APP_DATABASE_URL": "sqlite://", "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SYNC_CALLER_RUN)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [["mine", "cy"]]


TRANSACTIONS = """\

def archive(name):
    with db.begin() as session:
        session.execute(sa.delete(User).where(User.name == name))


def names():
    with db.Session() as session:
        return sorted(session.scalars(sa.select(User.name)).all())


def add(name):
    session = db.Session()
    session.add(User(name=name))
    session.commit()
    session.close()
"""

TRANSACTIONS_RUN = """\
import asyncio, json
import program

app = program.create_app()
found = {}
with app.app_context():
    program.db.create_all()
    program.db.session.add_all([program.User(name="ann"), program.User(name="bob")])
    program.db.session.commit()

    async def main():
        await program.add("cy")
        await program.archive("bob")
        found["async"] = await program.names()

    asyncio.run(main())
    loop = asyncio.new_event_loop()
    loop.asyncshift_sync_caller = True  # a unittest test running a coroutine to its end (_run_to_end)
    loop.run_until_complete(program.archive("ann"))
    found["sync caller"] = loop.run_until_complete(program.names())
    loop.close()
    with program.db.begin() as session:  # no loop: Alchemical's own, sync
        session.add(program.User(name="dee"))
    with program.db.Session() as session:
        found["sync"] = sorted(session.scalars(program.sa.select(program.User.name)).all())
print(json.dumps(found))
"""


@pytest.mark.parametrize("database", ["file", "memory"])
def test_db_begin_and_db_session_factory_run_async_in_the_loop_and_sync_outside(tmp_path: Path, database: str):
    """``async with db.begin() as session`` and ``db.Session()`` on the event loop (an ``AsyncSession`` on the
    async engine, committed at the end of ``begin``), on a sync caller's loop (its sync ones, awaitable) and with
    no loop (Alchemical's own): one database throughout."""
    converted, notes = CODEMOD.apply(PROGRAM + TRANSACTIONS, path="program.py")
    assert "async with db.begin() as session:" in converted and "async with db.Session() as session:" in converted
    (tmp_path / "program.py").write_text(converted)
    for name, text in notes.files.items():
        (tmp_path / name).write_text(text)
    url = f"sqlite:///{tmp_path / 'app.db'}" if database == "file" else "sqlite://"
    env = {**os.environ, "APP_DATABASE_URL": url, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", TRANSACTIONS_RUN], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"async": ["ann", "cy"], "sync caller": ["cy"], "sync": ["cy", "dee"]}
