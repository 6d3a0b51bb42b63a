"""SQLAlchemy 1.3 session calls the ``AsyncSession`` has no twin for: ``bulk_save_objects`` (and the other bulk
methods) run on its sync session through ``run_sync``; ``begin(subtransactions=True)`` alone on its line is dropped
(the session begins on its own, and awaited it raised 'A transaction is already begun'); ``begin(nested=True)`` is
``begin_nested()``.

Seen on a forum's data generator: ``db.session.begin(subtransactions=True)`` after the queries that began its
transaction, then ``db.session.bulk_save_objects(posts)``, converted to ``await db.session.begin(...)`` (which
raised) and a ``bulk_save_objects`` left as it was on the AsyncSession (AttributeError, no TODO).
"""

from __future__ import annotations

from codemod_helpers import FLASK_DB_USER, check_noop, check_transformed, run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_plain_sessions_bulk_save_runs_through_run_sync_and_its_subtransaction_begin_is_dropped():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def insert(session: Session, rows, count):
            session.get(Row, 1)
            # a subtransaction of the one the query began
            session.begin(subtransactions=True)
            session.bulk_save_objects(rows, return_defaults=True)
            session.bulk_insert_mappings(Row, [{"n": n} for n in range(count)])
            session.commit()
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def insert(session: AsyncSession, rows, count):
            await session.get(Row, 1)
            # a subtransaction of the one the query began
            await session.run_sync(lambda sync_session: sync_session.bulk_save_objects(rows, return_defaults=True))
            await session.run_sync(lambda sync_session: sync_session.bulk_insert_mappings(Row, [{"n": n} for n in range(count)]))
            await session.commit()
        """,  # noqa: E501
    )


def test_a_scoped_sessions_is_its_current_sessions_and_begin_nested():
    source = """\
from sqlalchemy.orm import scoped_session, sessionmaker

Session = scoped_session(sessionmaker())


def insert(rows):
    Session.begin(nested=True)
    Session.bulk_update_mappings(Row, rows)
    if rows:
        Session.begin(subtransactions=True)
    Session.commit()
"""
    after, _ = CODEMOD.apply(source)
    assert after.endswith(
        """\
async def insert(rows):
    await Session.begin_nested()
    await Session().run_sync(lambda sync_session: sync_session.bulk_update_mappings(Row, rows))
    if rows:
        pass
    await Session.commit()
"""
    )


def test_a_kept_subtransaction_gets_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def insert(session: Session, row):
            transaction = session.begin(subtransactions=True)
            session.add(row)
            transaction.commit()
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def insert(session: AsyncSession, row):
            # TODO(asyncshift): 'session.begin(subtransactions=True)': the AsyncSession has no subtransactions (SQLAlchemy 1.4/2.0) and begins on its own; begin() fails once a transaction is under way: begin only where session.in_transaction() is false
            transaction = await session.begin(subtransactions=True)
            session.add(row)
            await transaction.commit()
        """,  # noqa: E501
    )


def test_bulk_methods_of_something_else_and_a_with_begin_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        from search import index


        def insert(rows):
            index.begin(subtransactions=True)
            index.bulk_save_objects(rows)
        """,
    )


PROGRAM = (
    FLASK_DB_USER
    + """\


def insert_bulk(names):
    if User.query.count():
        return False
    db.session.begin(subtransactions=True)
    users = [User(name=name) for name in names]
    db.session.bulk_save_objects(users)
    db.session.commit()
    return User.query.count()
"""
)

RUN = """\
import asyncio
from program import db, insert_bulk

db.create_all()
print(asyncio.run(insert_bulk(["ada", "grace"])))
"""


def test_the_converted_bulk_insert_runs_on_the_async_db(tmp_path):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "subtransactions" not in converted
    assert "await db.session().run_sync(lambda sync_session: sync_session.bulk_save_objects(users))" in converted
    done = run_with_flask_db(tmp_path, converted, notes, "memory", RUN)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["2"]


def test_a_subtransaction_with_block_is_unwrapped_and_one_kept_as_a_name_gets_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def insert(session: Session, rows):
            session.get(Row, 1)
            # in a subtransaction
            with session.begin(subtransactions=True):  # 1.3's
                session.add_all(rows)
                # flushed inside it
            with session.begin(subtransactions=True): session.flush()
            with session.begin(subtransactions=True) as inner:
                session.flush()
            with session.begin():
                session.flush()
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def insert(session: AsyncSession, rows):
            await session.get(Row, 1)
            # in a subtransaction
            # 1.3's
            session.add_all(rows)
            # flushed inside it
            await session.flush()
            # TODO(asyncshift): 'with session.begin(subtransactions=True) as ...': the AsyncSession has no subtransactions (SQLAlchemy 1.4/2.0) and begins on its own; begin() fails once a transaction is under way: run the block in the session's transaction
            async with session.begin(subtransactions=True) as inner:
                await session.flush()
            async with session.begin():
                await session.flush()
        """,  # noqa: E501
    )


def test_a_subtransaction_with_block_of_code_left_sync_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        def insert(session, rows):
            with session.begin(subtransactions=True):
                session.add_all(rows)
        """,
    )
