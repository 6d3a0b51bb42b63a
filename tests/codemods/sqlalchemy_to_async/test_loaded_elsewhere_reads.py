"""A relationship read off a local holding what another function of the run loaded loads with its object.

Seen on an app whose views got a row from a model's classmethod (``item = Item.get(session, key)``, a
``session.query(cls).filter(...).first()`` there) and compared ``item.owner`` with another row: the lazy load
raised ``MissingGreenlet`` under the AsyncSession, away from any query a ``selectinload`` could go on. The local's
type comes from what the classmethod returns: ``session.query(cls)...first()`` gives a ``cls``, as
``Model.query...first()`` does.
"""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path

from codemod_helpers import check_transformed, load

from codemods.sqlalchemy_to_async import CODEMOD

SOURCE = """\
import sqlalchemy as sa
from sqlalchemy.orm import Session, backref, declarative_base, relationship

BASE = declarative_base()


class Shelf(BASE):
    __tablename__ = "shelves"
    id = sa.Column(sa.Integer, primary_key=True)
    label = sa.Column(sa.Unicode(50))

    @classmethod
    def by_label(cls, session, label):
        return session.query(cls).filter(cls.label == label).first()


class Book(BASE):
    __tablename__ = "books"
    id = sa.Column(sa.Integer, primary_key=True)
    shelf_id = sa.Column(sa.Integer, sa.ForeignKey("shelves.id"))
    shelf = relationship("Shelf", backref=backref("books", lazy="dynamic"))
    note = relationship("Shelf", viewonly=True, lazy="raise")

    @classmethod
    def by_id(cls, session, book_id):
        return session.query(cls).filter(cls.id == book_id).first()

    get = by_id


def on_shelf(session: Session, label, book_id):
    shelf = Shelf.by_label(session, label)
    book = Book.get(session, book_id)
    if book is None or book.shelf != shelf:
        return False
    return True


def made_here(session: Session):
    book = Book(shelf_id=1)
    return book.note
"""

CONVERTED_MODEL = """\
    shelf = relationship("Shelf", backref=backref("books", lazy="dynamic"), lazy="selectin")
    note = relationship("Shelf", viewonly=True, lazy="raise")
"""


def test_a_relationship_read_off_a_row_a_classmethod_loaded_loads_with_selectin():
    """``book.shelf`` off ``Book.get(...)`` (a classmethod named again in the class body) gets ``lazy="selectin"``;
    ``lazy="raise"`` is the model's choice, and ``book.note`` off a new ``Book(...)`` loads nothing: both kept."""
    after, _ = CODEMOD.apply(textwrap.dedent(SOURCE))
    assert CONVERTED_MODEL in after
    check_transformed(CODEMOD, SOURCE, after)


def test_without_a_function_of_the_run_loading_it_nothing_changes():
    """A local built here (``Book(...)``), not loaded by a function of the run, gives no ``lazy=``."""
    source = SOURCE.replace("    book = Book.get(session, book_id)\n", "    book = Book(id=book_id)\n")
    after, _ = CODEMOD.apply(textwrap.dedent(source))
    assert 'shelf = relationship("Shelf", backref=backref("books", lazy="dynamic"))\n' in after


RUN = """\


async def main() -> list[bool]:
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    engine = create_async_engine("sqlite+aiosqlite://")
    async with engine.begin() as connection:
        await connection.run_sync(BASE.metadata.create_all)
    async with AsyncSession(engine) as session:
        session.add_all([Shelf(id=1, label="poetry"), Shelf(id=2, label="prose")])
        session.add(Book(id=1, shelf_id=1))
        await session.commit()
    async with AsyncSession(engine) as session:
        found = [await on_shelf(session, "poetry", 1), await on_shelf(session, "prose", 1)]
    await engine.dispose()
    return found
"""


def test_the_converted_view_reads_the_relationship_under_an_async_session(tmp_path: Path):
    converted, _ = CODEMOD.apply(textwrap.dedent(SOURCE))
    (tmp_path / "shelves_prog.py").write_text(converted + RUN)
    program = load(tmp_path / "shelves_prog.py")
    assert asyncio.run(program.main()) == [True, False]
