"""A statement the conversion drops keeps the user's comments: those above it go above the next statement of its
block (else under the block's last statement), its trailing comment with them, and a block left with no statement
keeps a ``pass`` under them.

Seen on a forum's data generator: ``# ...`` explaining a ``db.session.begin(subtransactions=True)`` vanished with
the line the conversion dropped; a task's ``t.start()`` (dropped: the task starts when it is made) lost its comments
the same way.
"""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_dropped_subtransaction_begin_keeps_its_comments_in_every_place_of_its_block():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def insert(session: Session, rows, flag):
            session.get(Row, 1)
            # a subtransaction of the one the query began
            session.begin(subtransactions=True)  # 1.3's
            session.add_all(rows)
            if flag:
                # only when flagged
                session.begin(subtransactions=True)
            else:
                session.flush()
                # last of its block
                session.begin(subtransactions=True)  # trailing
            session.begin(subtransactions=True)
            session.commit()
            # the user's own pass
            pass  # kept as it is
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def insert(session: AsyncSession, rows, flag):
            await session.get(Row, 1)
            # a subtransaction of the one the query began
            # 1.3's
            session.add_all(rows)
            if flag:
                # only when flagged
                pass
            else:
                await session.flush()
                # last of its block
                # trailing
            await session.commit()
            # the user's own pass
            pass  # kept as it is
        """,
    )


def test_a_dropped_task_start_keeps_its_comments():
    check_transformed(
        CODEMOD,
        """\
        import threading

        from sqlalchemy.orm import Session


        def notify(session: Session, user_id: int) -> None:
            def send() -> None:
                session.commit()

            worker = threading.Thread(target=send)
            # off the request's thread
            worker.start()
            # waited for at once
            worker.join()
        """,
        """\
        import asyncio

        from sqlalchemy.ext.asyncio import AsyncSession


        async def notify(session: AsyncSession, user_id: int) -> None:
            async def send() -> None:
                await session.commit()

            worker = asyncio.create_task(send())
            # off the request's thread
            # waited for at once
            await worker
        """,
    )


def test_code_left_sync_keeps_its_lines_and_comments():
    check_noop(
        CODEMOD,
        """\
        import threading


        def notify(session, rows):
            # a session the run does not type: left as it is
            session.begin(subtransactions=True)  # 1.3's
            worker = threading.Thread(target=print)
            # started by hand
            worker.start()
            pass  # a pass of the user's
        """,
    )
