"""``self.rel`` in a model's (or a mixin's ``declared_attr``) method that became async: what loaded ``self`` is not
known there (no query to add a ``selectinload`` to), and an object made and flushed loads an unloaded relationship
on its first read. That read, left as it was, raised ``MissingGreenlet`` (an ACL mixin's ``self.acl.append(...)``
in an async ``grant_permission``). It is read as ``awaitable_attrs`` reads, ``await greenlet_spawn(getattr, self,
"rel")``, which SQLAlchemy 1.4 and a base without ``AsyncAttrs`` have too."""

from __future__ import annotations

import asyncio
import importlib.util
import sys

from codemods.sqlalchemy_to_async import CODEMOD

MODELS = """\
from sqlalchemy import Column, ForeignKey, Integer, String, create_engine
from sqlalchemy.orm import declarative_base, declared_attr, relationship, scoped_session, sessionmaker

engine = create_engine("sqlite://")
db_session = scoped_session(sessionmaker(bind=engine))
Base = declarative_base()


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))
    note_id = Column(Integer, ForeignKey("notes.id"))


class Taggable:
    @declared_attr
    def tags(cls):
        return relationship(Tag)

    def tag(self, name):
        if db_session.query(Tag).filter_by(name=name, note_id=self.id).first() is None:
            self.tags.append(Tag(name=name))
            db_session.commit()
        return len(self.tags)
"""
SOURCE = (
    MODELS
    + """

class Note(Taggable, Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    comments = relationship("Comment")

    def comment(self, text):
        self.comments.append(Comment(text=text))
        db_session.commit()
        return [c.text for c in self.comments]

    def count(self):
        return len(self.comments)


class Comment(Base):
    __tablename__ = "comments"
    id = Column(Integer, primary_key=True)
    text = Column(String(50))
    note_id = Column(Integer, ForeignKey("notes.id"))
"""
)

CONVERTED_METHODS = """\
    async def tag(self, name):
        if (await db_session.execute(select(Tag).filter_by(name=name, note_id=self.id).limit(1))).scalars().first() \
is None:
            (await greenlet_spawn(getattr, self, "tags")).append(Tag(name=name))
            await db_session.commit()
        return len(await greenlet_spawn(getattr, self, "tags"))
"""
CONVERTED_NOTE = """\
    async def comment(self, text):
        (await greenlet_spawn(getattr, self, "comments")).append(Comment(text=text))
        await db_session.commit()
        return [c.text for c in await greenlet_spawn(getattr, self, "comments")]

    def count(self):
        return len(self.comments)
"""


def test_an_own_relationship_read_in_a_method_that_became_async_is_read_in_the_greenlet():
    converted, _ = CODEMOD.apply(SOURCE)
    assert CONVERTED_METHODS in converted
    assert CONVERTED_NOTE in converted  # ``count`` stays sync: left alone
    assert CODEMOD.apply(converted)[0] == converted


def test_a_read_off_another_object_or_a_dynamic_relationship_is_left_alone():
    source = MODELS.replace("self.tags", "note.tags").replace("def tag(self, name)", "def tag(self, name, note)")
    source += """

class Note(Taggable, Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    comments = relationship("Comment", lazy="dynamic")

    def comment(self, text):
        db_session.add(Comment(text=text, note_id=self.id))
        db_session.commit()
        return self.comments


class Comment(Base):
    __tablename__ = "comments"
    id = Column(Integer, primary_key=True)
    text = Column(String(50))
    note_id = Column(Integer, ForeignKey("notes.id"))
"""
    converted, _ = CODEMOD.apply(source)
    assert "greenlet_spawn(getattr, self" not in converted
    assert "        return self.comments\n" in converted


def _load(tmp_path, name, code):
    path = tmp_path / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_converted_methods_do_what_the_original_did(tmp_path):
    source = SOURCE.replace('"sqlite://"', f'"sqlite:///{tmp_path / "original.db"}"')
    original = _load(tmp_path, "own_reads_original", source)
    try:
        original.Base.metadata.create_all(original.engine)
        note = original.Note()
        original.db_session.add(note)
        original.db_session.commit()
        expected = (note.tag("a"), note.tag("b"), note.tag("a"), note.comment("x"), note.comment("y"))
        original.db_session.remove()
        original.engine.dispose()
    finally:
        sys.modules.pop("own_reads_original", None)
    assert expected == (1, 2, 2, ["x"], ["x", "y"])

    converted, _ = CODEMOD.apply(SOURCE.replace('"sqlite://"', f'"sqlite:///{tmp_path / "converted.db"}"'))
    module = _load(tmp_path, "own_reads_converted", converted)

    async def run():
        async with module.engine.begin() as connection:
            await connection.run_sync(module.Base.metadata.create_all)
        note = module.Note()
        module.db_session.add(note)
        await module.db_session.commit()  # made and flushed: its relationships unloaded, each read a load
        try:  # MissingGreenlet before
            return (
                await note.tag("a"),
                await note.tag("b"),
                await note.tag("a"),
                await note.comment("x"),
                await note.comment("y"),
            )
        finally:
            await module.db_session.remove()
            await module.engine.dispose()

    try:
        assert asyncio.run(run()) == expected
    finally:
        sys.modules.pop("own_reads_converted", None)
