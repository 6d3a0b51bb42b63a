"""A function that builds a query-property chain and returns it for its callers to run (``query_builders``):
``return cls.query.filter_by(name=name)`` in a classmethod, ``User.named(name).all()`` where it is called.

Plain SQLAlchemy's ``Base.query = db_session.query_property()`` is ``None`` after conversion, so the builder was left
as it was with a TODO ("legacy Query kept as a value") and failed when called (``None.filter_by``), and each caller
kept a TODO ("legacy Query built elsewhere"). Now the builder returns the ``select()`` it builds, sync, and each
caller's terminal runs it on the scoped session: awaited in async code, on the serving loop in a class-based view
held sync; a builder built on another builder too. A function that also builds another chain is no builder: its
TODOs stay."""

from __future__ import annotations

import asyncio
import importlib.util
import shutil
import sys

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD, sync_views

HEAD = """\
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
"""

SOURCE = (
    HEAD
    + """
    @classmethod
    def named(cls, name):
        return cls.query.filter_by(name=name)

    @classmethod
    def named_in_order(cls, name):
        if not name:
            name = "ann"
        return cls.named(name).order_by(cls.id.desc())


def report(name):
    users = User.named(name).all()
    last = User.named_in_order(name).first()
    count = User.named(name).filter(User.id > 1).count()
    query = User.named_in_order(name)
    ids = []
    for user in query:
        ids.append(user.id)
    return [u.id for u in users], last.id, count, ids
"""
)

TODO = (
    "# TODO(asyncshift): async_scoped_session has no query_property(): the Model.query chains asyncshift could "
    "follow became select() statements awaited on the scoped session; build and await select(Model) wherever one "
    "is left"
)

CONVERTED_HEAD = f"""\
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
"""

CONVERTED = (
    CONVERTED_HEAD
    + """
    @classmethod
    def named(cls, name):
        return select(cls).filter_by(name=name)

    @classmethod
    def named_in_order(cls, name):
        if not name:
            name = "ann"
        return cls.named(name).order_by(cls.id.desc())


async def report(name):
    users = (await db_session.execute(User.named(name))).scalars().all()
    last = (await db_session.execute(User.named_in_order(name).limit(1))).scalars().first()
    count = await db_session.scalar(select(func.count()).select_from(User.named(name).where(User.id > 1).subquery()))
    query = User.named_in_order(name)
    ids = []
    for user in (await db_session.execute(query)).scalars():
        ids.append(user.id)
    return [u.id for u in users], last.id, count, ids
"""
)


def test_a_query_builder_returns_a_select_its_callers_run():
    check_transformed(CODEMOD, SOURCE, CONVERTED)


def test_the_converted_caller_answers_what_the_original_did(tmp_path):
    database, copy = tmp_path / "users.db", tmp_path / "users-converted.db"
    source = SOURCE.replace('"sqlite://"', f'"sqlite:///{database}"')
    original = _load(tmp_path, "query_builders_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        original.db_session.add_all([original.User(name=n) for n in ("ann", "ann", "bob", "ann")])
        original.db_session.commit()
        expected = original.report("ann")
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("query_builders_original", None)
    assert expected == ([1, 2, 4], 4, 2, [4, 2, 1])
    shutil.copy(database, copy)

    converted, _ = CODEMOD.apply(source)
    module = _load(tmp_path, "query_builders_converted", converted.replace(str(database), str(copy)))

    async def report():
        try:
            return await module.report("ann")  # None.filter_by before: the query property is gone
        finally:
            await module.db_session.remove()
            await module.engine.dispose()

    try:
        assert asyncio.run(report()) == expected
    finally:
        sys.modules.pop("query_builders_converted", None)


def test_a_class_based_view_held_sync_runs_the_select_on_the_serving_loop():
    source = SOURCE.replace("from sqlalchemy import", "from flask_restful import Resource\nfrom sqlalchemy import", 1)
    source += """

class UsersResource(Resource):
    def get(self, name):
        return {"ids": [u.id for u in User.named_in_order(name).all()]}
"""
    converted, _ = CODEMOD.apply(source)
    serving = sync_views.HELPER
    assert "        return select(cls).filter_by(name=name)\n" in converted
    assert (
        f'        return {{"ids": [u.id for u in {serving}(db_session.execute(User.named_in_order(name))).scalars()'
        ".all()]}\n"
    ) in converted
    assert "legacy Query" not in converted


OTHER_CHAIN = (
    HEAD
    + """
    @classmethod
    def named(cls, name):
        cls.query.filter_by(name="").delete()
        return cls.query.filter_by(name=name)


def report(name):
    return [u.id for u in User.named(name).all()]
"""
)


def test_a_function_building_another_chain_is_no_builder():
    converted, _ = CODEMOD.apply(OTHER_CHAIN)
    assert "        return cls.query.filter_by(name=name)\n" in converted
    assert "legacy Query kept as a value" in converted
    assert "legacy Query built elsewhere" in converted


def test_a_builder_of_a_select_on_the_async_session_is_left_alone():
    check_noop(CODEMOD, CONVERTED)


def _load(tmp_path, name, code):
    path = tmp_path / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
