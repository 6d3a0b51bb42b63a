"""A column read after a rollback, inside an f-string: the ``getattr`` name written in the greenlet call takes a
quote the f-string does not use (a double-quoted one inside ``f"..."`` is invalid Python before 3.12)."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Poll(Base):
    __tablename__ = "polls"
    id = Column(Integer, primary_key=True)
    alias = Column(String)


def check(session: Session, poll_id):
    poll = session.get(Poll, poll_id)
    session.rollback()
    return f"poll {poll.alias}", f'poll {poll.alias}', poll.alias
"""


def test_a_read_in_a_double_quoted_fstring_names_the_attribute_in_single_quotes():
    body = (
        SOURCE[SOURCE.index("Base = declarative_base()") :]
        .replace("def check(session: Session,", "async def check(session: AsyncSession,")
        .replace("session.get(", "await session.get(")
        .replace("    session.rollback()", "    await session.rollback()")
        .replace(
            "return f\"poll {poll.alias}\", f'poll {poll.alias}', poll.alias",
            "return f\"poll {await greenlet_spawn(getattr, poll, 'alias')}\", "
            'f\'poll {await greenlet_spawn(getattr, poll, "alias")}\', await greenlet_spawn(getattr, poll, "alias")',
        )
    )
    after = CODEMOD.apply(SOURCE)[0]  # the imports as the codemod writes them; the body is this test's
    check_transformed(CODEMOD, SOURCE, after[: after.index("Base = declarative_base()")] + body)
