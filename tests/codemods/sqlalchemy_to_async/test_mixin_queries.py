"""``cls.query`` in a classmethod of a mixin that is no model (``class NamedMixin:``) is the ``query_property()``
of the models built on it (``Model.query = db_session.query_property()``, the models listing the mixin beside
``Model``): the chain becomes a ``select(cls)`` awaited on that scoped session, as a model's own does. Before, it was
left as it was, and ``Model.query`` is ``None`` once converted: ``AttributeError: 'NoneType' object has no attribute
'filter_by'``. A mixin whose models have the query properties of two scoped sessions is left as it was."""

from __future__ import annotations

import asyncio
import importlib.util
import shutil
import sys

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()


class Model(Base):
    __abstract__ = True
    id = Column(Integer, primary_key=True)


Model.query = db_session.query_property()


class NamedMixin:
    @classmethod
    def named(cls, name):
        return cls.query.filter_by(name=name).order_by(cls.id).all()

    @classmethod
    def first_named(cls, name):
        return cls.query.filter_by(name=name).first()


class Thing(NamedMixin, Model):
    __tablename__ = "things"
    name = Column(String(50))
    size = Column(Integer)


class Place(NamedMixin, Model):
    __tablename__ = "places"
    name = Column(String(50))


def sizes(name):
    return [thing.size for thing in Thing.named(name)] + [Place.first_named(name).id]
"""


def test_a_mixins_cls_query_is_its_models_query_property():
    converted, _ = CODEMOD.apply(SOURCE)
    assert (
        "        return (await db_session.execute(select(cls).filter_by(name=name).order_by(cls.id))).scalars().all()\n"
        in converted
    )
    first = "        return (await db_session.execute(select(cls).filter_by(name=name).limit(1))).scalars().first()\n"
    assert first in converted
    assert "    return [thing.size for thing in await Thing.named(name)] + [(await Place.first_named(name)).id]\n" in (
        converted
    )
    assert CODEMOD.apply(converted)[0] == converted


def test_models_of_two_scoped_sessions_leave_the_mixin_as_it_was():
    source = SOURCE.replace(
        "class Place(NamedMixin, Model):",
        "other_session = scoped_session(sessionmaker(bind=engine))\n\n\nclass Other(Base):\n"
        "    __abstract__ = True\n\n\nOther.query = other_session.query_property()\n\n\n"
        "class Place(NamedMixin, Other):",
    )
    converted, _ = CODEMOD.apply(source)
    assert "        return cls.query.filter_by(name=name).first()\n" in converted


def _load(tmp_path, name, code):
    path = tmp_path / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_converted_query_gives_what_the_original_did(tmp_path):
    database, copy = tmp_path / "named.db", tmp_path / "named-converted.db"
    source = SOURCE.replace('"sqlite://"', f'"sqlite:///{database}"')
    original = _load(tmp_path, "mixin_queries_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        original.db_session.add_all([original.Thing(name="box", size=3), original.Thing(name="box", size=5)])
        original.db_session.add_all([original.Place(name="cellar"), original.Place(name="box")])
        original.db_session.commit()
        original.db_session.remove()
        shutil.copy(database, copy)
        expected = original.sizes("box")
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("mixin_queries_original", None)
    assert expected == [3, 5, 2]

    converted, _ = CODEMOD.apply(source)
    module = _load(tmp_path, "mixin_queries_converted", converted.replace(str(database), str(copy)))

    async def run():
        try:
            return await module.sizes("box")  # AttributeError before: Model.query is None
        finally:
            await module.db_session.remove()
            await module.engine.dispose()

    try:
        assert asyncio.run(run()) == expected
    finally:
        sys.modules.pop("mixin_queries_converted", None)
