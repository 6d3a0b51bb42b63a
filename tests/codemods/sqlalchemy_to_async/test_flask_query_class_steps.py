"""Flask-SQLAlchemy's own query class (``db = SQLAlchemy(query_class=PostQuery)``, or a model's ``query_class =
TagQuery``, a class in its body) with methods that only add steps (``def published(self): return
self.filter_by(published=True)``): ``Post.query.published().all()`` was a TODO ('legacy Query .published() has no
2.0 rewrite') and stayed a sync query on the sync session. The steps are written out in the chain, as for a plain
``query_property(query_cls=...)``'s (``test_query_property_classes``), and the chain runs on ``db.session``; a
method of the ``db``'s query class that queries is the app's function, awaited, as a model's own is; one running
its own Query (``self.order_by(...).first()``) stays sync, with a TODO at its line."""

from __future__ import annotations

import json
from pathlib import Path

from codemod_helpers import run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

BEFORE = """\
import os

from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.query import Query


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ.get("APP_DATABASE_URL", "sqlite://")}
    hooks = {"teardown": []}


class PostQuery(Query):
    def published(self):
        \"\"\"What readers see.\"\"\"
        return self.filter_by(published=True)

    def newest_first(self, newest=True):
        return self.order_by(Post.id.desc() if newest else Post.id)

    def front(self, count=2):
        return self.published().newest_first().limit(count)

    def titled(self, title):
        return Post.query.filter_by(title=title).first()

    def latest(self):
        return self.order_by(Post.id.desc()).first()


app = App()
db = SQLAlchemy(app, query_class=PostQuery)


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(50))
    published = db.Column(db.Boolean)


class Tag(db.Model):
    class TagQuery(Query):
        def named(self, name):
            return self.filter(Tag.name == name)

    query_class = TagQuery
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


def front_page(count):
    return [p.id for p in Post.query.front(count=count).all()]


def oldest_published():
    return Post.query.published().newest_first(False).first().id


def published_count():
    return Post.query.published().count()


def tags_named(name):
    return [t.id for t in Tag.query.named(name).order_by(Tag.id).all()]


def titled(title):
    return Post.query.titled(title).id


def latest():
    return Post.query.latest().id


def add(rows):
    for title, published in rows:
        db.session.add(Post(title=title, published=published))
        db.session.add(Tag(name=title))
    db.session.commit()
"""


def test_the_query_classs_steps_are_written_out_on_db_session():
    after, _ = CODEMOD.apply(BEFORE, path="program.py")
    todos = [line.strip() for line in after.splitlines() if "TODO" in line]
    assert todos == [
        "# TODO(asyncshift): this query class's method runs its Query itself (.first()), sync (a legacy Query on a "
        "sync session): blocking; write it as a select() awaited on the AsyncSession where it is called"
    ]
    assert "        # TODO(asyncshift): this query class's" in after.split("def latest(self):")[1].split("\n")[1]
    assert (
        "async def front_page(count):\n    return [p.id for p in (await db.session.execute(select(Post)"
        ".filter_by(published=True).order_by(Post.id.desc() if True else Post.id).limit(count))).scalars().all()]\n"
    ) in after
    assert (
        "(await db.session.execute(select(Post).filter_by(published=True)"
        ".order_by(Post.id.desc() if False else Post.id).limit(1))).scalars().first().id"
    ) in after
    assert "await db.session.scalar(select(func.count()).select_from(Post).filter_by(published=True))" in after
    assert "(await db.session.execute(select(Tag).where(Tag.name == name).order_by(Tag.id))).scalars().all()" in after
    assert "    return (await Post.query.titled(title)).id\n" in after  # the db's query class's own query


RUN = """\
import asyncio, json
import program

program.db.create_all()


async def main():
    await program.add([("a", True), ("b", False), ("a", True), ("c", True)])
    found = {
        "front": await program.front_page(2),
        "all": await program.front_page(5),
        "oldest": await program.oldest_published(),
        "count": await program.published_count(),
        "tags": await program.tags_named("a"),
        "titled": await program.titled("b"),
        "latest": program.latest(),
    }
    await program.db.session.remove()
    await program.db.async_engine.dispose()
    return found


print(json.dumps(asyncio.run(main())))
"""


def test_the_written_out_chains_run_on_the_async_session(tmp_path: Path):
    converted, notes = CODEMOD.apply(BEFORE, path="program.py")
    done = run_with_flask_db(tmp_path, converted, notes, "memory", RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "front": [4, 3],
        "all": [4, 3, 1],
        "oldest": 1,
        "count": 3,
        "tags": [1, 3],
        "titled": 2,
        "latest": 4,
    }
