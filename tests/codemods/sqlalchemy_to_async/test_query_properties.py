"""``Base.query = db_session.query_property()`` (plain SQLAlchemy's ``Model.query``, as Flask's docs set it up): the
converted module called ``async_scoped_session(...).query_property()``, which does not exist (AttributeError at
import), and ``User.query...`` chains stayed sync Queries. Now the assignment keeps ``None`` with a TODO and the
chains are ``select()`` statements awaited on the scoped session, as Flask-SQLAlchemy's ``Model.query`` ones."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import textwrap

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()
Base.query = db_session.query_property()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))

    def namesakes(self):
        return type(self).query.filter_by(name=self.name).all()


def named(name):
    return User.query.filter_by(name=name).first()


def how_many(name):
    return User.query.filter(User.name == name).count()
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


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))

    async def namesakes(self):
        return (await db_session.execute(select(type(self)).filter_by(name=self.name))).scalars().all()


async def named(name):
    return (await db_session.execute(select(User).filter_by(name=name).limit(1))).scalars().first()


async def how_many(name):
    return await db_session.scalar(select(func.count()).select_from(User).where(User.name == name))
"""


def test_query_property_chains_become_selects_on_the_scoped_session():
    check_transformed(CODEMOD, SOURCE, CONVERTED)


def test_the_converted_module_imports_and_its_queries_run(tmp_path):
    converted, _ = CODEMOD.apply(textwrap.dedent(SOURCE))
    path = tmp_path / "query_property_models.py"
    path.write_text(converted)
    spec = importlib.util.spec_from_file_location("query_property_models", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)  # AttributeError: no query_property() on async_scoped_session, before

        async def scenario():
            async with module.engine.begin() as connection:
                await connection.run_sync(module.Base.metadata.create_all)
            module.db_session.add_all([module.User(name="ann"), module.User(name="ann"), module.User(name="bob")])
            await module.db_session.commit()
            ann = await module.named("ann")
            found = (ann.name, len(await ann.namesakes()), await module.how_many("bob"), await module.named("eve"))
            await module.db_session.remove()
            await module.engine.dispose()
            return found

        assert asyncio.run(scenario()) == ("ann", 2, 1, None)
    finally:
        sys.modules.pop(spec.name, None)


def test_a_query_property_set_in_another_module_of_the_run(tmp_path):
    from codemods.runner import run

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "db.py").write_text(
        "from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker\n\n"
        "db_session = scoped_session(sessionmaker())\nBase = declarative_base()\n"
        "Base.query = db_session.query_property()\n"
    )
    (tmp_path / "app" / "models.py").write_text(
        "from sqlalchemy import Column, Integer\n\nfrom app.db import Base\n\n\n"
        "class User(Base):\n    __tablename__ = 'users'\n    id = Column(Integer, primary_key=True)\n\n\n"
        "def find(key):\n    return User.query.get(key)\n"
    )
    run("sqlalchemy-to-async", [tmp_path], write=True)
    assert (tmp_path / "app" / "models.py").read_text() == (
        "from sqlalchemy import Column, Integer\n\nfrom app.db import Base, db_session\n\n\n"
        "class User(Base):\n    __tablename__ = 'users'\n    id = Column(Integer, primary_key=True)\n\n\n"
        "async def find(key):\n    return await db_session.get(User, key)\n"
    )
    assert "Base.query = None" in (tmp_path / "app" / "db.py").read_text()


def test_a_query_property_in_the_class_body():
    source = SOURCE.replace("Base.query = db_session.query_property()\n", "").replace(
        '    __tablename__ = "users"\n', '    __tablename__ = "users"\n    query = db_session.query_property()\n'
    )
    expected = CONVERTED.replace(f"{TODO}\nBase.query = None\n", "").replace(
        '    __tablename__ = "users"\n', f'    __tablename__ = "users"\n    {TODO}\n    query = None\n'
    )
    check_transformed(CODEMOD, source, expected)


def test_the_query_property_handed_on_as_a_value_gets_a_todo_at_its_line():
    """``return User.query`` / ``paginate(User.query, 1)``: the property is ``None`` now; it was left with no TODO."""
    source = (
        SOURCE
        + "\n\ndef base_query():\n    return User.query\n\n\ndef first_page():\n    return paginate(User.query, 1)\n"
    )
    todo = (
        "    # TODO(asyncshift): User.query was a query_property() of a scoped_session, which async_scoped_session has "
        "not (it is None now): build select(Model) here and await it on the scoped session where it is read\n"
    )
    expected = (
        CONVERTED
        + f"\n\ndef base_query():\n{todo}    return User.query\n\n\ndef first_page():\n{todo}"
        + "    return paginate(User.query, 1)\n"
    )
    check_transformed(CODEMOD, source, expected)
