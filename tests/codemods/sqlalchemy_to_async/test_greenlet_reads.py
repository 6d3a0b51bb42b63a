"""Sync code that lazy-loads, reached from a coroutine, runs in SQLAlchemy's greenlet: a template rendered there
(``await greenlet_spawn(render_template, ...)``) and a model property reading a dynamic relationship
(``await greenlet_spawn(getattr, poll, "group_names")``), a dynamic relationship's query and iteration, and an
object's column read after the function's rollback expired it.

Seen on a voting app whose pages call ``{{ election.legal_voters.count() }}`` and iterate it (a dynamic backref),
and whose views read ``election.legal_voters_list``, a property iterating it: every such page raised
``MissingGreenlet`` once the session was an AsyncSession.
"""

from __future__ import annotations

import asyncio
import sys
import textwrap
import unittest
from pathlib import Path

from codemod_helpers import check_transformed, load

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
import sqlalchemy as sa
from sqlalchemy.orm import Session, backref, declarative_base, relationship, scoped_session, sessionmaker

from _flask_compat import render_template_string

BASE = declarative_base()
SESSION = scoped_session(sessionmaker(bind=sa.create_engine("sqlite://")))
PAGE = "{{ poll.groups.count() }}:{% for g in poll.groups %} {{ g.name }}{% endfor %}"


class Poll(BASE):
    __tablename__ = "polls"
    id = sa.Column(sa.Integer, primary_key=True)
    alias = sa.Column(sa.Unicode(50), unique=True)

    @property
    def group_names(self):
        return sorted(group.name for group in self.groups)

    @classmethod
    def get(cls, session, alias):
        return session.query(cls).filter(cls.alias == alias).one()


class Group(BASE):
    __tablename__ = "groups"
    id = sa.Column(sa.Integer, primary_key=True)
    poll_id = sa.Column(sa.Integer, sa.ForeignKey("polls.id"))
    name = sa.Column(sa.Unicode(50))
    poll = relationship("Poll", backref=backref("groups", lazy="dynamic"))


def page(session: Session, alias):
    poll = Poll.get(session, alias)
    return render_template_string(PAGE, poll=poll)


def names(session: Session, alias):
    poll = Poll.get(session, alias)
    if poll.group_names:
        return ", ".join(poll.group_names)
    return "none"


def stats(session: Session, alias):
    poll = Poll.get(session, alias)
    counted = poll.groups.filter(Group.name != "red").count()
    names = []
    for group in poll.groups:
        names.append(group.name)
    ordered = sorted(poll.groups, key=lambda g: g.name)
    polls = sorted(session.query(Poll).all(), key=lambda p: len(p.group_names))
    return [counted, names, [g.name for g in ordered], [p.alias for p in polls]]


def rename(session: Session, alias, new):
    poll = Poll.get(session, alias)
    try:
        poll.alias = new
        session.commit()
    except sa.exc.IntegrityError:
        session.rollback()
        return "taken: " + poll.alias
    return poll.alias
"""

CONVERTED_PARTS = [
    "from sqlalchemy.util import greenlet_spawn\n",
    "    return await greenlet_spawn(render_template_string, PAGE, poll=poll)\n",
    '    if await greenlet_spawn(getattr, poll, "group_names"):\n'
    '        return ", ".join(await greenlet_spawn(getattr, poll, "group_names"))\n',
    '    counted = await greenlet_spawn(poll.groups.filter(Group.name != "red").count)\n',
    "    for group in await greenlet_spawn(list, poll.groups):\n",
    "    ordered = await greenlet_spawn(sorted, poll.groups, key=lambda g: g.name)\n",
    "    polls = await greenlet_spawn(sorted, ",
    '        return "taken: " + await greenlet_spawn(getattr, poll, "alias")\n',
    '    return await greenlet_spawn(getattr, poll, "alias")\n',  # after the rollback in the source: it may run so
]

HELPER = """\
import jinja2


def render_template_string(source, **context):
    return jinja2.Environment().from_string(source).render(**context)
"""


def _this_flask_compat(tmp_path: Path, monkeypatch) -> None:
    """The test's own ``_flask_compat`` (``HELPER``): not one an earlier test of the run left in ``sys.modules``
    (a converted app's package, whose ``render_template_string`` takes the request first)."""
    (tmp_path / "_flask_compat.py").write_text(HELPER)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "_flask_compat" or m.startswith("_flask_compat.")]:
        monkeypatch.delitem(sys.modules, name)


def test_the_render_the_property_read_and_the_dynamic_reads_run_in_greenlet_spawn(tmp_path: Path, monkeypatch):
    _this_flask_compat(tmp_path, monkeypatch)
    after, _ = CODEMOD.apply(textwrap.dedent(SOURCE))
    for part in CONVERTED_PARTS:
        assert part in after
    check_transformed(CODEMOD, SOURCE, after)  # valid Python, a second run changes nothing


def test_a_render_in_a_run_without_relationships_is_left_alone():
    source = SOURCE.replace('    poll = relationship("Poll", backref=backref("groups", lazy="dynamic"))\n', "")
    after, _ = CODEMOD.apply(textwrap.dedent(source))
    assert "    return render_template_string(PAGE, poll=poll)\n" in after
    assert "greenlet_spawn(render_template_string" not in after


RUN = """\


async def main() -> list[str]:
    engine = SESSION.session_factory.kw["bind"]
    async with engine.begin() as connection:
        await connection.run_sync(BASE.metadata.create_all)
    poll = Poll(alias="colours")
    SESSION.add_all([poll, Group(poll=poll, name="red"), Group(poll=poll, name="blue"), Poll(alias="empty")])
    await SESSION.commit()
    await SESSION.remove()
    found = [await page(SESSION, "colours"), await names(SESSION, "colours"), await names(SESSION, "empty")]
    found.append(await stats(SESSION, "colours"))
    found += [await rename(SESSION, "colours", "empty"), await rename(SESSION, "empty", "blank")]
    await SESSION.remove()
    await engine.dispose()
    return found
"""


def test_the_converted_reads_load_on_the_async_session(tmp_path: Path, monkeypatch):
    _this_flask_compat(tmp_path, monkeypatch)
    converted, _ = CODEMOD.apply(textwrap.dedent(SOURCE).replace('"sqlite://"', f'"sqlite:///{tmp_path}/polls.db"'))
    (tmp_path / "polls_prog.py").write_text(converted + RUN)
    program = load(tmp_path / "polls_prog.py")
    stats = [1, ["red", "blue"], ["blue", "red"], ["empty", "colours"]]
    assert asyncio.run(program.main()) == ["2: red blue", "blue, red", "none", stats, "taken: colours", "blank"]


def test_an_attribute_stored_into_after_the_rollback_is_left_as_it_was():
    source = SOURCE + (
        "\n\ndef retitle(session: Session, alias):\n    poll = Poll.get(session, alias)\n    session.rollback()\n"
        '    poll.alias += "!"\n    for poll.alias in ["a", "b"]:\n        session.commit()\n    return poll.alias\n'
    )
    after, _ = CODEMOD.apply(textwrap.dedent(source))
    assert '    poll.alias += "!"\n    for poll.alias in ["a", "b"]:\n' in after
    assert '    return await greenlet_spawn(getattr, poll, "alias")\n' in after
    check_transformed(CODEMOD, source, after)


UNITTEST = """\
import unittest

import sqlalchemy as sa
from sqlalchemy.orm import backref, declarative_base, relationship, scoped_session, sessionmaker

Base = declarative_base()


class Poll(Base):
    __tablename__ = "polls"
    id = sa.Column(sa.Integer, primary_key=True)

    @property
    def group_count(self):
        return self.groups.count()


class Group(Base):
    __tablename__ = "groups"
    id = sa.Column(sa.Integer, primary_key=True)
    poll_id = sa.Column(sa.Integer, sa.ForeignKey("polls.id"))
    poll = relationship("Poll", backref=backref("groups", lazy="dynamic"))


def create_session(url):
    engine = sa.create_engine(url)
    Base.metadata.create_all(engine)
    return scoped_session(sessionmaker(bind=engine))


class PollTests(unittest.TestCase):
    def setUp(self):
        self.session = create_session("sqlite://")

    def tearDown(self):
        self.session.close()

    def test_group_count(self):
        poll = Poll(id=1)
        self.session.add_all([poll, Group(poll=poll), Group(poll=poll)])
        self.session.commit()
        self.assertEqual(self.session.get(Poll, 1).group_count, 2)
        self.session.expunge_all()
        self.assertEqual(self.session.get(Group, 2).poll.id, 1)
"""


def test_a_property_or_relationship_read_in_a_unittest_test_runs_to_its_end_in_the_greenlet(tmp_path: Path):
    converted, _ = CODEMOD.apply(UNITTEST)
    assert '_run_to_end(greenlet_spawn(getattr, _run_to_end(self.session.get(Poll, 1)), "group_count"))' in converted
    assert '_run_to_end(greenlet_spawn(getattr, _run_to_end(self.session.get(Group, 2)), "poll")).id' in converted
    check_transformed(CODEMOD, UNITTEST, converted)
    (tmp_path / "unittest_poll_prog.py").write_text(converted)
    module = load(tmp_path / "unittest_poll_prog.py")
    result = unittest.TextTestRunner(verbosity=0).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(module.PollTests)
    )
    assert result.wasSuccessful(), result.errors + result.failures
