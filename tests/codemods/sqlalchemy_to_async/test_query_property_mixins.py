"""``cls.query`` in a classmethod of a mixin the run's models take (``class User(NamedMixin, Base)``), ``Base.query =
db_session.query_property()``: the query property of every class built on the mixin, on one scoped session.

The mixin has no ``query`` of its own, so its chains were of no known type: one it ran (``cls.query.filter_by(...)
.all()``) was left sync on a query property that is ``None`` after conversion, with a TODO at most; one it built and
returned got no word at all, and failed when called (``None.filter_by``). Now ``cls.query`` there is typed by the
classes built on the mixin (``query_properties.scoped_of``) when they all have the same one: the chains are
``select(cls)`` statements awaited on the scoped session as a model's own are. A mixin a class without that property
takes too is left as it was."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()
Base.query = db_session.query_property()
"""

MIXIN = """

class NamedMixin:
    @classmethod
    def all_named(cls, name):
        return cls.query.filter_by(name=name).all()

    def namesakes(self):
        return self.query.filter_by(name=self.name).count()


class User(NamedMixin, Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


def report(name):
    return len(User.all_named(name))
"""

TODO = (
    "# TODO(asyncshift): async_scoped_session has no query_property(): the Model.query chains asyncshift could "
    "follow became select() statements awaited on the scoped session; build and await select(Model) wherever one "
    "is left"
)

CONVERTED = f"""\
import asyncio

from sqlalchemy import Column, Integer, String, func, select
from sqlalchemy.orm import declarative_base
from sqlalchemy.ext.asyncio import async_scoped_session, async_sessionmaker, create_async_engine

engine = create_async_engine("sqlite+aiosqlite://")


def _current_task_or_none():
    \"\"\"The running asyncio task (async_scoped_session's scope), None outside a loop (by asyncshift).\"\"\"
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return None
    loop = asyncio.get_running_loop()
    shared = getattr(loop, "asyncshift_sync_caller", False) or getattr(loop, "asyncshift_test_requests", False)
    return None if shared else task


db_session = async_scoped_session(async_sessionmaker(bind=engine, expire_on_commit=False), \
scopefunc=_current_task_or_none)
Base = declarative_base()
{TODO}
Base.query = None


class NamedMixin:
    @classmethod
    async def all_named(cls, name):
        return (await db_session.execute(select(cls).filter_by(name=name))).scalars().all()

    async def namesakes(self):
        return await db_session.scalar(select(func.count()).select_from(type(self)).filter_by(name=self.name))


class User(NamedMixin, Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


async def report(name):
    return len(await User.all_named(name))
"""


def test_a_mixins_query_is_the_one_of_the_models_built_on_it():
    check_transformed(CODEMOD, HEAD + MIXIN, CONVERTED)


def test_a_mixin_a_class_without_the_query_property_takes_is_left_as_it_was():
    source = HEAD + MIXIN + "\n\nclass Plain(NamedMixin):\n    name = 'x'\n"
    converted, _ = CODEMOD.apply(source)
    assert "        return cls.query.filter_by(name=name).all()\n" in converted
    assert "        return self.query.filter_by(name=self.name).count()\n" in converted
