"""A relationship no eager load can fill (write-only, ``lazy="dynamic"``, ``noload``, ``raise``) gets no
``selectinload`` where it is read after the load: reading it builds a query (``photo.comments.select()``), and the
option raised 'does not support object population - eager loading cannot be applied' on every such load."""

from __future__ import annotations

import pytest
from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

MODEL = """\
from sqlalchemy.orm import DynamicMapped, Mapped, Session, WriteOnlyMapped, relationship


class Photo(Base):
    tags: Mapped[list["Tag"]] = relationship()
    {declaration}

"""

READ = """
def comments_of(session: Session, key):
    photo = session.get(Photo, key)
    return photo.comments.select()
"""

DECLARATIONS = [
    'comments: WriteOnlyMapped["Comment"] = relationship(back_populates="photo")',
    'comments: DynamicMapped["Comment"] = relationship(back_populates="photo")',
    'comments = relationship("Comment", lazy="write_only")',
    'comments = relationship("Comment", lazy="dynamic")',
    'comments = relationship("Comment", lazy="noload")',
    'comments = relationship("Comment", lazy="raise")',
]


@pytest.mark.parametrize("declaration", DECLARATIONS)
def test_a_relationship_no_eager_load_can_fill_gets_none(declaration):
    after, _ = CODEMOD.apply(MODEL.format(declaration=declaration) + READ)
    assert "await session.get(Photo, key)" in after
    assert "selectinload" not in after


def test_a_loadable_relationship_beside_it_still_gets_one():
    check_transformed(
        CODEMOD,
        MODEL.format(declaration='comments: WriteOnlyMapped["Comment"] = relationship()')
        + """
def tags_and_comments(session: Session, key):
    photo = session.get(Photo, key)
    return photo.tags, photo.comments.select()
""",
        """\
from sqlalchemy.orm import DynamicMapped, Mapped, WriteOnlyMapped, relationship, selectinload
from sqlalchemy.ext.asyncio import AsyncSession


class Photo(Base):
    tags: Mapped[list["Tag"]] = relationship()
    comments: WriteOnlyMapped["Comment"] = relationship()


async def tags_and_comments(session: AsyncSession, key):
    photo = await session.get(Photo, key, options=[selectinload(Photo.tags)])
    return photo.tags, photo.comments.select()
""",
    )


def test_no_session_no_change():
    check_noop(CODEMOD, MODEL.format(declaration='comments = relationship("Comment", lazy="write_only")'))
