"""SQL handed as a plain string (``session.execute("select count(*) ...")``, a mapper event listener's
``conn.scalar("select ...")``): SQLAlchemy 1.3 took it, an ``AsyncSession`` and the sync connection under an async
(future) engine do not (``Not an executable object``). It is wrapped in ``text()``, with the import; what is no
string (``text()`` already, a ``select()``, a parameter, a bytes literal, a local given something else) is left."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_string_executed_on_a_session_or_a_listeners_connection_is_wrapped_in_text():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy import Column, Integer, event, select
        from sqlalchemy.orm import Session, declarative_base

        Base = declarative_base()


        class User(Base):
            __tablename__ = "user"
            id = Column(Integer, primary_key=True)


        @event.listens_for(User, "before_insert")
        def make_admin(mapper, conn, target):
            users = conn.scalar('select count(*) from "user" where restrict=false')
            sql = "select id from project where id=%s" % target.id
            conn.execute(sql)
            return users


        def count(session: Session, table, query):
            total = session.scalar(f"select count(*) from {table}")
            sql = "select name from {}".format(table)
            names = session.execute(sql, {"id": 1}).all()
            session.execute(query)
            session.execute(select(User))
            return total, names
        """,
        """\
        from sqlalchemy import Column, Integer, event, select, text
        from sqlalchemy.orm import declarative_base
        from sqlalchemy.ext.asyncio import AsyncSession

        Base = declarative_base()


        class User(Base):
            __tablename__ = "user"
            id = Column(Integer, primary_key=True)


        @event.listens_for(User, "before_insert")
        def make_admin(mapper, conn, target):
            users = conn.scalar(text('select count(*) from "user" where restrict=false'))
            sql = "select id from project where id=%s" % target.id
            conn.execute(text(sql))
            return users


        async def count(session: AsyncSession, table, query):
            total = await session.scalar(text(f"select count(*) from {table}"))
            sql = "select name from {}".format(table)
            names = (await session.execute(text(sql), {"id": 1})).all()
            await session.execute(query)
            await session.execute(select(User))
            return total, names
        """,
    )


def test_text_already_a_local_given_other_values_and_other_receivers_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        from sqlalchemy import text


        def run(cursor, rows, flag):
            cursor.execute("select 1")
            sql = "select 2" if flag else None
            rows.execute(sql)
            return text("select 3")
        """,
    )
