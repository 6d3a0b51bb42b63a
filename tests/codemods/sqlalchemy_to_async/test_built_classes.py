"""A query property read through a model class a mixin's ``declared_attr`` builds with ``type(name, bases, ns)``.

``self.Entry.query.filter_by(...)``, ``self.Entry`` set by ``cls.Entry = type(..., (Entry, BaseModel), {...})``
at mapping time, was no query to the types: the chain stayed a legacy Query (with a TODO) on a
``query_property()`` that is ``None`` after the conversion, and its caller stayed sync. Such an attribute is
typed as the base its ``query`` comes from: the chain is a ``select()`` of the class as read
(``select(self.Entry)``), awaited on the scoped session, and its callers become async."""

from __future__ import annotations

import asyncio
import importlib.util
import sys

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from sqlalchemy import Column, ForeignKey, Integer, Unicode, create_engine
from sqlalchemy.ext.declarative import declared_attr
from sqlalchemy.orm import as_declarative, relationship, scoped_session, sessionmaker

engine = None
session_maker = sessionmaker(future=True)
db_session = scoped_session(session_maker)


def configure_engine(url):
    global engine
    engine = create_engine(url, future=True)
    session_maker.configure(bind=engine)


def init_db():
    BaseModel.metadata.create_all(bind=engine)
    BaseModel.query = db_session.query_property()


@as_declarative()
class BaseModel:
    id = Column(Integer, primary_key=True)


class Entry:
    permission = Column(Unicode(255))


class EntriesMixin:
    @declared_attr
    def entries(cls):
        cls.Entry = type(
            "%sEntry" % cls.__name__,
            ({bases}),
            {{
                "__tablename__": "%s_entry" % cls.__tablename__,
                "parent_id": Column(Integer, ForeignKey("%s.id" % cls.__tablename__)),
                "parent": relationship(cls, viewonly=True),
            }},
        )
        return relationship(cls.Entry, cascade="all, delete-orphan")

    def entry_table(self):
        return self.Entry.__tablename__

"""
METHODS = """\
    def get_entries(self, permission):
        return self.Entry.query.filter_by(permission=permission, parent=self).all()

    def grant(self, permission):
        if not self.get_entries(permission):
            db_session.add(self.Entry(permission=permission, parent_id=self.id))
            db_session.commit()

    def count_entries(self):
        return self.Entry.query.filter_by(parent=self).count()
"""
CONVERTED = """\
    async def get_entries(self, permission):
        return (await db_session.execute(select(self.Entry).filter_by(permission=permission, parent=self)))\
.scalars().all()

    async def grant(self, permission):
        if not await self.get_entries(permission):
            db_session.add(self.Entry(permission=permission, parent_id=self.id))
            await db_session.commit()

    async def count_entries(self):
        return await db_session.scalar(select(func.count()).select_from(self.Entry).filter_by(parent=self))
"""
TAIL = """

class Sketch(EntriesMixin, BaseModel):
    __tablename__ = "sketch"
    name = Column(Unicode(255))
"""
SOURCE = HEAD.format(bases="Entry, BaseModel") + METHODS + TAIL


def test_chains_through_a_class_a_declared_attr_builds_become_selects_on_the_scoped_session():
    converted, _ = CODEMOD.apply(SOURCE)
    assert "from sqlalchemy import Column, ForeignKey, Integer, Unicode, func, select\n" in converted
    assert converted.endswith(CONVERTED + TAIL), converted
    assert "        return self.Entry.__tablename__\n" in converted  # not a query: as it was
    assert "self.Entry.query" not in converted
    check_transformed(CODEMOD, SOURCE, converted)  # (and a second run leaves it as it is)


def test_a_built_class_whose_bases_give_no_query_keeps_the_todo():
    """Bases none of which has the query property (``Entry`` alone): not followed, the chain kept with its TODO."""
    converted, _ = CODEMOD.apply(HEAD.format(bases="Entry,") + METHODS + TAIL)
    lines = converted.splitlines()
    at = lines.index("        return self.Entry.query.filter_by(permission=permission, parent=self).all()")
    assert lines[at - 1].strip().startswith("# TODO(asyncshift): self.Entry.query: if a model's query_property()")
    assert "select(self.Entry)" not in converted


def test_other_reads_of_a_built_class_are_left_alone():
    check_noop(
        CODEMOD,
        """\
from sqlalchemy import Column, Integer
from sqlalchemy.ext.declarative import declared_attr
from sqlalchemy.orm import as_declarative


@as_declarative()
class BaseModel:
    id = Column(Integer, primary_key=True)


class EntriesMixin:
    @declared_attr
    def entry_id(cls):
        cls.Entry = type("%sEntry" % cls.__name__, (BaseModel,), {"__tablename__": "%s_entry" % cls.__tablename__})
        return Column(Integer)

    def entry_table(self):
        return self.Entry.__tablename__

    def entry_columns(self):
        return [column.name for column in self.Entry.__table__.columns]
""",
    )


def test_the_converted_module_runs_its_chains(tmp_path):
    converted, _ = CODEMOD.apply(SOURCE)
    path = tmp_path / "built_models.py"
    path.write_text(converted)
    spec = importlib.util.spec_from_file_location("built_models", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)

        async def scenario():
            module.configure_engine(f"sqlite:///{tmp_path / 'app.db'}")
            await module.init_db()
            sketch = module.Sketch(name="one")
            module.db_session.add(sketch)
            await module.db_session.commit()
            await sketch.grant("read")  # AttributeError on None.filter_by, before
            await sketch.grant("read")
            await sketch.grant("write")
            found = (
                [entry.permission for entry in await sketch.get_entries("read")],
                await sketch.count_entries(),
                type(sketch).Entry.__name__,
            )
            await module.db_session.remove()
            await module.engine.dispose()
            return found

        assert asyncio.run(scenario()) == (["read"], 2, "SketchEntry")
    finally:
        sys.modules.pop(spec.name, None)
