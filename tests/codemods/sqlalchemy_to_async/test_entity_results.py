"""``session.query(value)`` whose entity is a value (a generic repository's ``self.model``, a parameter): read back
as the legacy Query read it, objects for a mapped class and rows for a column, decided at run time
(``entity_results``). It was read as rows, so a repository gave ``Row`` objects where it gave models."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path

import pytest
from codemod_helpers import check_noop, load

from codemods.sqlalchemy_to_async import CODEMOD

pytest.importorskip("aiosqlite")

PROGRAM = """\
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))


class Repository:
    def __init__(self, session: Session, model):
        self.session = session
        self.model = model

    def every(self):
        return self.session.query(self.model).order_by(self.model.id).all()

    def first(self):
        return self.session.query(self.model).first()


def names(session: Session, column):
    return session.query(column).order_by(column).all()


def by_class(session: Session):
    return session.query(User).all()
"""


def test_a_value_entity_reads_objects_or_rows_as_the_legacy_query(tmp_path: Path) -> None:
    converted, _ = CODEMOD.apply(PROGRAM)
    compile(converted, "<converted>", "exec", dont_inherit=True)
    assert "_entity_result(" in converted
    assert "(await session.execute(select(User))).scalars().all()" in converted  # a class by name: as before
    (tmp_path / "before.py").write_text(PROGRAM)
    (tmp_path / "after.py").write_text(converted)
    before, after = load(tmp_path / "before.py"), load(tmp_path / "after.py")

    engine = before.create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    before.Base.metadata.create_all(engine)
    with before.Session(engine) as session:
        session.add_all([before.User(id=1, name="ada"), before.User(id=2, name="bob")])
        session.commit()
        repository = before.Repository(session, before.User)
        expected = (
            [(type(u).__name__, u.name) for u in repository.every()],
            type(repository.first()).__name__,
            [tuple(r) for r in before.names(session, before.User.name)],
        )
    assert expected == ([("User", "ada"), ("User", "bob")], "User", [("ada",), ("bob",)])

    async def converted_reads():
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        aengine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
        async with AsyncSession(aengine) as session:
            repository = after.Repository(session, after.User)
            found = (
                [(type(u).__name__, u.name) for u in await repository.every()],
                type(await repository.first()).__name__,
                [tuple(r) for r in await after.names(session, after.User.name)],
            )
        await aengine.dispose()
        return found

    assert asyncio.run(converted_reads()) == expected


def test_a_class_or_column_by_name_gets_no_helper() -> None:
    converted, _ = CODEMOD.apply(
        textwrap.dedent(
            """\
            from sqlalchemy.orm import Session
            from models import User


            def ids(session: Session):
                return session.query(User.id).all()
            """
        )
    )
    assert "_entity_result" not in converted
    assert "(await session.execute(select(User.id))).all()" in converted


def test_no_query_no_helper() -> None:
    check_noop(CODEMOD, "def every(model):\n    return list(model)\n")
