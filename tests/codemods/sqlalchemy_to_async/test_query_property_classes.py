"""``Base.query = db_session.query_property(query_cls=PostQuery)``: a ``Query`` subclass whose own methods only add
steps (``def published(self): return self.filter_by(published=True)``) is written out in the chains that call it, in
the module of the call (what its steps name imported there); a method that does more (runs the query itself) keeps
the chain sync with a TODO that says so. Both were a TODO ("legacy Query .published() has no 2.0 rewrite"), and the
converted ``Post.query`` is ``None``: the chain failed at its first call."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import textwrap

from codemod_helpers import write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from sqlalchemy import Boolean, Column, Integer, String, create_engine
from sqlalchemy.orm import Query, declarative_base, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))


class PostQuery(Query):
    def published(self):
        \"\"\"What readers see.\"\"\"
        return self.filter_by(published=True)

    def titled(self, title, newest_first=True):
        return self.filter(Post.title == title).order_by(Post.id.desc() if newest_first else Post.id)

    def front(self, count=2):
        return self.published().order_by(Post.id.desc()).limit(count)

    def newest(self):
        return self.order_by(Post.id.desc()).first()


Base = declarative_base()
Base.query = db_session.query_property(query_cls=PostQuery)


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    title = Column(String(50))
    published = Column(Boolean)


def front_page(count):
    return [p.id for p in Post.query.front(count=count).all()]


def first_titled(title):
    return Post.query.published().titled(title, False).first().id


def newest():
    return Post.query.newest()
"""


def test_the_query_classs_step_methods_are_written_out_and_run(tmp_path):
    converted, _ = CODEMOD.apply(SOURCE)
    assert (
        "return [p.id for p in (await db_session.execute(select(Post).filter_by(published=True)"
        ".order_by(Post.id.desc()).limit(count))).scalars().all()]"
    ) in converted
    assert (
        "(await db_session.execute(select(Post).filter_by(published=True).where(Post.title == title)"
        ".order_by(Post.id.desc() if False else Post.id).limit(1))).scalars().first().id"
    ) in converted
    assert (
        "    # TODO(asyncshift): legacy Query .newest() (the query class's method runs the query itself: .first(); "
        "async_scoped_session has no Query) has no 2.0 rewrite here"
    ) in converted
    path = tmp_path / "query_class_posts.py"
    path.write_text(converted)
    spec = importlib.util.spec_from_file_location("query_class_posts", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)

        async def scenario():
            async with module.engine.begin() as connection:
                await connection.run_sync(module.Base.metadata.create_all)
            for title, published in [("a", True), ("b", False), ("a", True), ("c", True)]:
                module.db_session.add(module.Post(title=title, published=published))
            await module.db_session.commit()
            found = (await module.front_page(2), await module.front_page(5), await module.first_titled("a"))
            await module.db_session.remove()
            await module.engine.dispose()
            return found

        assert asyncio.run(scenario()) == ([4, 3], [4, 3, 1], 1)
    finally:
        sys.modules.pop(spec.name, None)


def test_a_step_method_of_another_modules_query_class_brings_its_names(tmp_path):
    """``latest(count=LIMIT)`` in ``db.py``: its default and ``desc`` are imported where the chain is written out."""
    write_tree(
        tmp_path,
        {
            "blog/__init__.py": "",
            "blog/db.py": textwrap.dedent(
                """\
                from sqlalchemy import desc
                from sqlalchemy.orm import Query, declarative_base, scoped_session, sessionmaker

                LIMIT = 2
                db_session = scoped_session(sessionmaker())


                class PostQuery(Query):
                    def latest(self, count=LIMIT):
                        return self.filter_by(published=True).order_by(desc("id")).limit(count)


                Base = declarative_base()
                Base.query = db_session.query_property(query_cls=PostQuery)
                """
            ),
            "blog/views.py": textwrap.dedent(
                """\
                from sqlalchemy import Boolean, Column, Integer

                from blog.db import Base


                class Post(Base):
                    __tablename__ = "posts"
                    id = Column(Integer, primary_key=True)
                    published = Column(Boolean)


                def front_page():
                    return Post.query.latest().all()
                """
            ),
        },
    )
    run("sqlalchemy-to-async", [tmp_path], write=True)
    views = (tmp_path / "blog/views.py").read_text()
    assert "from sqlalchemy import Boolean, Column, Integer, desc, select\n" in views
    assert "from blog.db import LIMIT, Base, db_session\n" in views
    assert (
        "async def front_page():\n    return (await db_session.execute(select(Post).filter_by(published=True)"
        ".order_by(desc('id')).limit(LIMIT))).scalars().all()\n"
    ) in views
