"""A relationship read in the function that loaded the object is loaded eagerly (``selectinload``)."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

MODEL = """\
from sqlalchemy.orm import Mapped, Session, relationship


class User(Base):
    roles: Mapped[list["Role"]] = relationship(back_populates="user")

"""


def test_session_get_then_a_relationship():
    check_transformed(
        CODEMOD,
        MODEL
        + """
def role_names(session: Session, key):
    user = session.get(User, key)
    return [r.name for r in user.roles]
""",
        """\
from sqlalchemy.orm import Mapped, relationship, selectinload
from sqlalchemy.ext.asyncio import AsyncSession


class User(Base):
    roles: Mapped[list["Role"]] = relationship(back_populates="user")


async def role_names(session: AsyncSession, key):
    user = await session.get(User, key, options=[selectinload(User.roles)])
    return [r.name for r in user.roles]
""",
    )


def test_a_query_then_a_relationship():
    check_transformed(
        CODEMOD,
        MODEL
        + """
def roles_of(session: Session, name):
    user = session.query(User).filter_by(name=name).one()
    return user.roles
""",
        """\
from sqlalchemy.orm import Mapped, relationship, selectinload
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


class User(Base):
    roles: Mapped[list["Role"]] = relationship(back_populates="user")


async def roles_of(session: AsyncSession, name):
    user = (await session.execute(select(User).filter_by(name=name).options(selectinload(User.roles)))).scalar_one()
    return user.roles
""",
    )


def test_a_column_read_needs_no_eager_load():
    after, _ = CODEMOD.apply(MODEL + "\ndef name(session: Session, key):\n    return session.get(User, key).name\n")
    assert "selectinload" not in after
    after, _ = CODEMOD.apply(
        MODEL + "\ndef name(session: Session, key):\n    user = session.get(User, key)\n    return user.name\n"
    )
    assert "selectinload" not in after
