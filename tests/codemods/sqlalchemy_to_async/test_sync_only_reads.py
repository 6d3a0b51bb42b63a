"""A relationship read as ``self.rel`` in a model's sync-only method (a property, ``__repr__``...) loads with its
object, or gets a TODO where the model chose a lazy load.

Seen on a voting app whose ``Candidate.vote_count`` property read ``self.votes`` and whose election property
iterated a ``lazy="dynamic"`` relationship: Python calls a property without awaiting, so the lazy load raised
``MissingGreenlet`` under the AsyncSession, and the conversion said nothing of it.
"""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path

from codemod_helpers import check_transformed, load

from codemods.sqlalchemy_to_async import CODEMOD

MODELS = """\
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Poll(Base):
    __tablename__ = "polls"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    choices: Mapped[list["Choice"]] = relationship("Choice", back_populates="poll")
    ballots = relationship("Ballot", lazy="dynamic")
    owners = relationship("Owner", lazy="select")

    def __init__(self, title: str) -> None:
        self.title = title
        self.choices = []

    @property
    def ballot_count(self) -> int:
        return sum(1 for _ in self.ballots)

    def __str__(self) -> str:
        return ", ".join(owner.name for owner in self.owners)

    def names(self) -> list[str]:
        return [choice.name for choice in self.choices]


class Choice(Base):
    __tablename__ = "choices"
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"))
    name: Mapped[str]
    poll: Mapped[Poll] = relationship(back_populates="choices")
    votes: Mapped[list["Ballot"]] = relationship("Ballot")

    @property
    def vote_count(self) -> int:
        return len(self.votes)

    def __repr__(self) -> str:
        return f"<Choice {self.name} of {self.poll.title}>"


class Ballot(Base):
    __tablename__ = "ballots"
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"))
    choice_id: Mapped[int] = mapped_column(ForeignKey("choices.id"))


class Owner(Base):
    __tablename__ = "owners"
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"))
    name: Mapped[str]


def results(session: Session) -> list[tuple[str, int]]:
    return [(repr(choice), choice.vote_count) for choice in session.scalars(select(Choice)).all()]
"""


def test_reads_in_properties_and_dunders_load_with_selectin_and_a_chosen_lazy_load_gets_a_todo():
    """``self.votes`` in a property and ``self.poll`` in ``__repr__``: ``lazy="selectin"``; the dynamic
    ``self.ballots`` iterated in a property and the ``lazy="select"`` read in ``__str__``: a TODO naming the
    method, there and at the read; ``self.choices`` in ``__init__`` (a new object) and in a plain method: left alone."""
    todo = "    # TODO(asyncshift): Poll.{} is lazy='{}' and read in Poll.{}, which Python calls without awaiting: its "
    todo += "load raises MissingGreenlet under the AsyncSession; "
    dynamic = todo.format("ballots", "dynamic", "ballot_count")
    dynamic += "a dynamic relationship cannot load under asyncio: make it lazy='selectin' (a list) or "
    dynamic += "lazy='write_only' and query it in async code\n"
    select = todo.format("owners", "select", "__str__")
    select += "load it with the object (lazy='selectin') or await obj.awaitable_attrs.owners first\n"
    expected = (
        MODELS.replace(", Session,", ",")
        .replace(
            "relationship\n",
            "relationship\nfrom sqlalchemy.ext.asyncio import AsyncSession\n",
            1,
        )
        .replace(
            '    ballots = relationship("Ballot", lazy="dynamic")\n',
            dynamic + '    ballots = relationship("Ballot", lazy="dynamic")\n',
        )
        .replace(
            '    owners = relationship("Owner", lazy="select")\n',
            select + '    owners = relationship("Owner", lazy="select")\n',
        )
        .replace('relationship(back_populates="choices")', 'relationship(back_populates="choices", lazy="selectin")')
        .replace('relationship("Ballot")\n', 'relationship("Ballot", lazy="selectin")\n')
        .replace("def results(session: Session)", "async def results(session: AsyncSession)")
        .replace("session.scalars(select(Choice)).all()", "(await session.scalars(select(Choice))).all()")
    )
    here = "        # TODO(asyncshift): self.{} (Poll.{}, lazy='{}') lazy-loads here, in a method Python calls without "
    here += "awaiting: MissingGreenlet under the AsyncSession (see the TODO at the relationship)\n"
    expected = expected.replace(
        "        return sum(1 for _ in self.ballots)",
        here.format("ballots", "ballots", "dynamic") + "        return sum(1 for _ in self.ballots)",
    ).replace(
        '        return ", ".join(owner', here.format("owners", "owners", "select") + '        return ", ".join(owner'
    )
    check_transformed(CODEMOD, MODELS, expected)


RUN = """\


async def main() -> list[tuple[str, int]]:
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    engine = create_async_engine("sqlite+aiosqlite://")
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    async with AsyncSession(engine) as session:
        poll = Poll("lunch")
        session.add(poll)
        await session.flush()
        soup, salad = Choice(name="soup", poll_id=poll.id), Choice(name="salad", poll_id=poll.id)
        session.add_all([soup, salad])
        await session.flush()
        session.add_all([Ballot(poll_id=poll.id, choice_id=soup.id) for _ in range(2)])
        await session.commit()
    async with AsyncSession(engine) as session:
        found = await results(session)
    await engine.dispose()
    return found
"""


def test_the_converted_property_and_repr_read_their_relationships_under_an_async_session(tmp_path: Path):
    converted, _ = CODEMOD.apply(textwrap.dedent(MODELS))
    (tmp_path / "polls_prog.py").write_text(converted + RUN)
    program = load(tmp_path / "polls_prog.py")
    assert asyncio.run(program.main()) == [("<Choice soup of lunch>", 2), ("<Choice salad of lunch>", 0)]


BACKREFS = """\
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import backref, declarative_base, relationship

Base = declarative_base()


class Election(Base):
    __tablename__ = "elections"
    id = Column(Integer, primary_key=True)

    @property
    def voters(self):
        return sorted(voter.name for voter in self.legal_voters)

    @property
    def winner(self):
        return max(self.candidates, key=lambda candidate: candidate.name)


class Voter(Base):
    __tablename__ = "voters"
    id = Column(Integer, primary_key=True)
    election_id = Column(Integer, ForeignKey("elections.id"))
    name = Column(String)
    election = relationship("Election", backref=backref("legal_voters", lazy="dynamic"))


class Candidate(Base):
    __tablename__ = "candidates"
    id = Column(Integer, primary_key=True)
    election_id = Column(Integer, ForeignKey("elections.id"))
    name = Column(String)
    election = relationship("Election", backref="candidates")
"""


def test_a_backref_read_in_a_property_loads_with_selectin_or_gets_a_todo_on_the_relationship_declaring_it():
    """``self.candidates`` (``backref="candidates"``): ``backref("candidates", lazy="selectin")``;
    ``self.legal_voters`` (``backref(..., lazy="dynamic")``): a TODO on ``Voter.election`` and at the read."""
    todo = (
        "    # TODO(asyncshift): Election.legal_voters (backref of Voter.election) is lazy='dynamic' and read in "
        "Election.voters, which Python calls without awaiting: its load raises MissingGreenlet under the "
        "AsyncSession; a dynamic relationship cannot load under asyncio: make it lazy='selectin' (a list) or "
        "lazy='write_only' and query it in async code\n"
    )
    expected = BACKREFS.replace(
        '    election = relationship("Election", backref=backref("legal_voters"',
        todo + '    election = relationship("Election", backref=backref("legal_voters"',
    ).replace('backref="candidates")', 'backref=backref("candidates", lazy="selectin"))')
    here = (
        "        # TODO(asyncshift): self.legal_voters (backref of Voter.election, lazy='dynamic') lazy-loads here, "
        "in a method Python calls without awaiting: MissingGreenlet under the AsyncSession (see the TODO at the "
        "relationship)\n"
    )
    expected = expected.replace("        return sorted(voter.name", here + "        return sorted(voter.name")
    check_transformed(CODEMOD, BACKREFS, expected)
