"""``for user in User.query.filter_by(...).all():``: a query chain ending in a terminal, iterated by a ``for``, is
rewritten as that call is anywhere (``(await s.execute(select(User)...)).scalars().all()``). It was read as a chain
iterated as it is, ``.all()`` one of its steps: "legacy Query .all() has no 2.0 rewrite here" and the chain left on
the query property (``None`` for plain SQLAlchemy's after conversion; Flask-SQLAlchemy's a sync query in async
code). A chain iterated without a terminal keeps its rewrite (``.scalars()``)."""

from __future__ import annotations

import asyncio
import importlib.util
import sys

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

FLASK = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


def names(name):
    found = []
    for user in User.query.filter_by(name=name).all():
        found.append(user.id)
    for user in db.session.query(User).order_by(User.id).all():
        found.append(user.name)
    for user in User.query.filter_by(name=name):
        found.append(user.id)
    return found
"""

FLASK_CONVERTED = """\
from _flask_sqlalchemy_async import SQLAlchemy
from sqlalchemy import select

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


async def names(name):
    found = []
    for user in (await db.session.execute(select(User).filter_by(name=name))).scalars().all():
        found.append(user.id)
    for user in (await db.session.execute(select(User).order_by(User.id))).scalars().all():
        found.append(user.name)
    for user in (await db.session.execute(select(User).filter_by(name=name))).scalars():
        found.append(user.id)
    return found
"""


def test_a_terminal_chain_iterated_by_a_for_is_rewritten_as_the_call():
    converted = check_transformed(CODEMOD, FLASK, FLASK_CONVERTED)
    assert "TODO" not in converted


PLAIN = """\
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


def names(name):
    found = []
    for user in User.query.filter_by(name=name).order_by(User.id).all():
        found.append(user.id)
    for user in User.query.order_by(User.name.desc()):
        found.append(user.name)
    return found
"""


def _load(tmp_path, name, code):
    path = tmp_path / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_converted_loops_read_what_the_original_did(tmp_path):
    database = tmp_path / "users.db"
    source = PLAIN.replace('"sqlite://"', f'"sqlite:///{database}"')
    converted, _ = CODEMOD.apply(source)
    assert "TODO" not in converted.split("def names")[1]
    original = _load(tmp_path, "iterated_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        original.db_session.add_all([original.User(name=n) for n in ("ann", "ann", "bob")])
        original.db_session.commit()
        expected = original.names("ann")
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("iterated_original", None)
    assert expected == [1, 2, "bob", "ann", "ann"]

    module = _load(tmp_path, "iterated_converted", converted)

    async def run():
        try:
            return await module.names("ann")  # None.filter_by before (the query property is gone)
        finally:
            await module.db_session.remove()
            await module.engine.dispose()

    try:
        assert asyncio.run(run()) == expected
    finally:
        sys.modules.pop("iterated_converted", None)
