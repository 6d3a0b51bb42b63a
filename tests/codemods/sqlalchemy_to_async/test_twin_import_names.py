"""Two async twins of one name in a module (SQLModel's ``AsyncSession`` and SQLAlchemy's): the second is imported
under another name, so neither import shadows the other (each ``with`` kept the session class it had)."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_sqlmodels_and_sqlalchemys_session_keep_apart():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session as OrmSession
        from sqlmodel import Session, select


        def load(engine, model):
            with Session(engine) as session:
                return session.exec(select(model)).all()


        def count(engine, model):
            with OrmSession(engine) as session:
                return session.execute(select(model)).all()
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession as sa_AsyncSession
        from sqlmodel import select
        from sqlmodel.ext.asyncio.session import AsyncSession


        async def load(engine, model):
            async with AsyncSession(engine, expire_on_commit=False) as session:
                return (await session.exec(select(model))).all()


        async def count(engine, model):
            async with sa_AsyncSession(engine, expire_on_commit=False) as session:
                return (await session.execute(select(model))).all()
        """,
    )
