"""``# asyncshift: to_thread`` on a statement: its call, blocking work no rule can see, runs in a thread once the
function is async; the mark stays, and does nothing in code that stays sync."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_marked_call_in_a_function_made_async_runs_in_a_thread():
    check_transformed(
        CODEMOD,
        """\
        import datetime as dt
        from zoneinfo import ZoneInfo

        from sqlalchemy.orm import Session

        from app.parsing import parse_calendar


        def import_file(session: Session, data: bytes) -> int:
            events = parse_calendar(data, ZoneInfo("UTC"))  # asyncshift: to_thread (CPU work)
            session.add_all(events)
            session.commit()
            return len(events)


        def preview(data: bytes) -> int:
            return len(parse_calendar(data, dt.UTC))  # asyncshift: to_thread


        def weigh(session: Session, rows: list) -> int:
            total = sum(len(r) for r in rows)  # asyncshift: to_thread
            session.commit()
            return total
        """,
        """\
        import asyncio
        import datetime as dt
        from zoneinfo import ZoneInfo

        from sqlalchemy.ext.asyncio import AsyncSession

        from app.parsing import parse_calendar


        async def import_file(session: AsyncSession, data: bytes) -> int:
            events = await asyncio.to_thread(parse_calendar, data, ZoneInfo("UTC"))  # asyncshift: to_thread (CPU work)
            session.add_all(events)
            await session.commit()
            return len(events)


        def preview(data: bytes) -> int:
            return len(parse_calendar(data, dt.UTC))  # asyncshift: to_thread


        async def weigh(session: AsyncSession, rows: list) -> int:
            total = await asyncio.to_thread(sum, (len(r) for r in rows))  # asyncshift: to_thread
            await session.commit()
            return total
        """,
    )


def test_a_mark_on_a_statement_whose_value_is_no_call_gets_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from sqlalchemy.orm import Session


        def save(session: Session, rows: list) -> None:
            total = rows[0]  # asyncshift: to_thread
            session.commit()
        """,
        """\
        from sqlalchemy.ext.asyncio import AsyncSession


        async def save(session: AsyncSession, rows: list) -> None:
            # TODO(asyncshift): 'asyncshift: to_thread' marks a statement whose value is not a call: nothing was moved to a thread
            total = rows[0]  # asyncshift: to_thread
            await session.commit()
        """,  # noqa: E501
    )
