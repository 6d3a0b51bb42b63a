"""An eagerly loaded relationship read in a unittest test is a lazy load there, run in SQLAlchemy's greenlet.

``lazy="selectin"`` (or ``"joined"``, ``"subquery"``, ``"immediate"``, ``False``) loads the relationship with the
query that loads its object; an object the test made itself and flushed (``User.get_or_create(...)`` then
``commit()``) was loaded by no query, so its first ``user.groups`` is a lazy load all the same: SQLAlchemy falls
back to the lazy loader. Under an AsyncSession, in a sync test method, that load raised ``MissingGreenlet`` (and,
with ``pool_pre_ping``, the ping's failure threw the in-memory database's one connection away: every later test
of the run read an empty database, ``no such table``). The codemod itself writes ``lazy="selectin"`` on a
relationship it sees read away from its query (``handed_reads``), so the relationship a test reads was lazy in
the original. Such reads are run to their end in the greenlet as a lazy relationship's are
(``_run_to_end(greenlet_spawn(getattr, user, "groups"))``); relationships that never load on read (``dynamic``,
``noload``, ``raise``, ``write_only``) are left alone. A relationship a mixin declares (``@declared_attr def
tags(cls): return relationship("Tag")``) is read so too, and an object typed as the base class whose classmethod
made it (``cls(**kwargs)`` in ``Model.get_or_create``) is read as any of its subclasses may be.
"""

from __future__ import annotations

import unittest
from pathlib import Path

from codemod_helpers import check_transformed, load

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
import unittest

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, declared_attr, relationship, scoped_session, sessionmaker

Base = declarative_base()
engine = sa.create_engine("sqlite://", pool_pre_ping=True)
session = scoped_session(sessionmaker(bind=engine))

members = sa.Table(
    "members",
    Base.metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id")),
    sa.Column("group_id", sa.Integer, sa.ForeignKey("group.id")),
)


class TaggedMixin:
    @declared_attr
    def tags(cls):
        return relationship("Tag")


class Model(Base):
    __abstract__ = True

    @classmethod
    def get_or_create(cls, **kwargs):
        found = session.query(cls).filter_by(**kwargs).first()
        if found is None:
            found = cls(**kwargs)
            session.add(found)
            session.commit()
        return found


class User(TaggedMixin, Model):
    __tablename__ = "user"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String)
    groups = relationship("Group", secondary=members, lazy="{lazy}")
    notes = relationship("Note", lazy="noload")


class Group(Base):
    __tablename__ = "group"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String)


class Tag(Base):
    __tablename__ = "tag"
    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("user.id"))


class Note(Base):
    __tablename__ = "note"
    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("user.id"))


def init_db():
    Base.metadata.create_all(bind=engine)


def drop_all():
    Base.metadata.drop_all(bind=engine)


class GroupTests(unittest.TestCase):
    def _create_user(self, name):
        user = User.get_or_create(name=name)
        session.commit()
        return user

    def _create_group(self, name, user):
        group = Group(name=name)
        user.groups.append(group)
        user.tags.append(Tag())
        session.add(group)
        session.commit()
        return group

    def setUp(self):
        init_db()
        self.user = self._create_user("a")
        self.group = self._create_group("g", user=self.user)

    def tearDown(self):
        session.remove()
        drop_all()

    def test_groups(self):
        self.assertEqual([g.name for g in self.user.groups], ["g"])
        self.assertEqual(self.user.notes, [])

    def test_again(self):
        self.assertEqual(len(self.user.groups), 1)
        self.assertEqual(len(self.user.tags), 1)
"""


def _run(tmp_path: Path, lazy: str) -> str:
    source = SOURCE.replace("{lazy}", lazy)
    converted, _ = CODEMOD.apply(source)
    check_transformed(CODEMOD, source, converted)
    path = tmp_path / f"eager_{lazy}_prog.py"
    path.write_text(converted)
    module = load(path)
    result = unittest.TextTestRunner(verbosity=0).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(module.GroupTests)
    )
    assert result.wasSuccessful(), result.errors + result.failures
    return converted


def test_a_selectin_relationship_read_in_a_unittest_method_runs_in_the_greenlet(tmp_path: Path):
    converted = _run(tmp_path, "selectin")
    assert '_run_to_end(greenlet_spawn(getattr, user, "groups")).append(group)' in converted
    assert 'in _run_to_end(greenlet_spawn(getattr, self.user, "groups"))]' in converted


def test_a_joined_relationship_read_in_a_unittest_method_runs_in_the_greenlet(tmp_path: Path):
    converted = _run(tmp_path, "joined")
    assert 'len(_run_to_end(greenlet_spawn(getattr, self.user, "groups")))' in converted


def test_a_relationship_a_mixin_declares_read_in_a_unittest_method_runs_in_the_greenlet(tmp_path: Path):
    converted = _run(tmp_path, "selectin")
    assert '_run_to_end(greenlet_spawn(getattr, user, "tags")).append(Tag())' in converted
    assert 'len(_run_to_end(greenlet_spawn(getattr, self.user, "tags")))' in converted


def test_a_relationship_that_never_loads_is_read_as_it_was(tmp_path: Path):
    converted = _run(tmp_path, "selectin")
    assert "self.assertEqual(self.user.notes, [])" in converted
