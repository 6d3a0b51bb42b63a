"""A legacy query-property chain (plain SQLAlchemy's ``Base.query = db_session.query_property()``) written directly
in a function held sync because Python calls it (a property, a dunder, an xunit hook): the chain is the ``select()``
async code gets, each ``await`` of it ``_run_to_end(...)`` there, as a call of the run is (``python_calls``). It
was left as it was with a TODO, and the query property is ``None`` after conversion: ``None.filter`` at run time.
The session's own call there (``db_session.get(...)``, and the chain's in a run after) is run to its end too: a
coroutine with a TODO before (``bool()`` of it always true).
Flask-SQLAlchemy's chains there stay on ``db.sync_session`` (``query_api._kept_sync``)."""

from __future__ import annotations

import asyncio
import importlib.util
import sys

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD, unittest_cases

SOURCE = """\
import unittest

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

    @property
    def namesakes(self):
        return User.query.filter(User.name == self.name).all()

    def __len__(self):
        return User.query.filter_by(name=self.name).count()

    def __repr__(self):
        return f"<User {User.query.get(self.id).name}>"

    def __bool__(self):
        return db_session.get(User, self.id) is not None


class UsersTest(unittest.TestCase):
    def setUp(self):
        self.ann = User.query.filter_by(name="ann").first()
"""


def todo(call: str, function: str, why: str) -> str:
    return (
        f"        # TODO(asyncshift): {call} is a coroutine now, but '{function}' {why}: it runs to its end "
        "here (_run_to_end), blocking while an event loop runs in this thread; move it out to an async caller that "
        "awaits it\n"
    )


BY_PYTHON = "is called by Python, which does not await it"
HELPER = unittest_cases.CODE.format(name="_run_to_end", marker=unittest_cases.SYNC_CALLER)

CONVERTED = f"""\
import asyncio
import unittest

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
# TODO(asyncshift): async_scoped_session has no query_property(): the Model.query chains asyncshift could follow \
became select() statements awaited on the scoped session; build and await select(Model) wherever one is left
Base.query = None
{HELPER.rstrip()}


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))

    @property
    def namesakes(self):
{todo("db_session.execute()", "namesakes", "is a property, which cannot be awaited")}\
        return _run_to_end(db_session.execute(select(User).where(User.name == self.name))).scalars().all()

    def __len__(self):
{todo("db_session.scalar()", "__len__", BY_PYTHON)}\
        return _run_to_end(db_session.scalar(select(func.count()).select_from(User).filter_by(name=self.name)))

    def __repr__(self):
{todo("db_session.get()", "__repr__", BY_PYTHON)}\
        return f"<User {{_run_to_end(db_session.get(User, self.id)).name}}>"

    def __bool__(self):
{todo("db_session.get()", "__bool__", BY_PYTHON)}\
        return _run_to_end(db_session.get(User, self.id)) is not None


class UsersTest(unittest.TestCase):
    def setUp(self):
        self.ann = _run_to_end(db_session.execute(select(User).filter_by(name="ann").limit(1))).scalars().first()
"""


def test_a_query_property_chain_held_sync_runs_to_its_end_there():
    check_transformed(CODEMOD, SOURCE, CONVERTED)


def _load(tmp_path, name, code):
    path = tmp_path / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_converted_chains_answer_what_the_original_did(tmp_path):
    database = tmp_path / "users.db"
    source = SOURCE.replace('"sqlite://"', f'"sqlite:///{database}"')
    converted, _ = CODEMOD.apply(source)
    original = _load(tmp_path, "held_chains_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        original.db_session.add_all([original.User(name="ann"), original.User(name="ann"), original.User(name="bob")])
        original.db_session.commit()
        ann = original.User.query.filter_by(name="ann").first()
        expected = (len(ann.namesakes), len(ann), repr(ann), bool(ann))
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("held_chains_original", None)
    assert expected == (2, 2, "<User ann>", True)

    module = _load(tmp_path, "held_chains_converted", converted)  # the same database file, filled by the original
    try:
        case = module.UsersTest()
        case.setUp()  # None.filter_by before: the query property is gone
        ann = case.ann
        assert (len(ann.namesakes), len(ann), repr(ann), bool(ann)) == expected  # no loop running here

        async def served():  # a loop runs in this thread (a request): run in a thread of its own, blocking
            found = (len(ann.namesakes), len(ann), repr(ann), bool(ann))
            await module.db_session.remove()
            return found

        assert asyncio.run(served()) == expected
        module._run_to_end(module.db_session.remove())
        module._run_to_end(module.engine.dispose())
    finally:
        sys.modules.pop("held_chains_converted", None)


FLASK = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))

    @property
    def namesakes(self):
        return User.query.filter(User.name == self.name).all()

    def __len__(self):
        return db.session.query(User).filter_by(name=self.name).count()
"""


def test_flask_sqlalchemy_chains_held_sync_stay_on_the_sync_session():
    converted, _ = CODEMOD.apply(FLASK)
    assert "        return User.query.filter(User.name == self.name).all()\n" in converted
    assert "        return db.sync_session.query(User).filter_by(name=self.name).count()\n" in converted
    assert "_run_to_end" not in converted
