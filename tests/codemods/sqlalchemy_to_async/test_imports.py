"""A new ``import asyncio`` goes where isort puts it: among the standard library's plain imports, in its own
section before another section, and apart from the docstring; where the module's opening imports all went, no
blank line opens the module."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_asyncio_after_a_docstring_and_before_the_third_party_section():
    check_transformed(
        CODEMOD,
        """\
        \"\"\"Weights.\"\"\"

        from sqlalchemy.orm import Session


        def weigh(session: Session, rows: list) -> int:
            total = sum(len(r) for r in rows)  # asyncshift: to_thread
            session.commit()
            return total
        """,
        """\
        \"\"\"Weights.\"\"\"

        import asyncio

        from sqlalchemy.ext.asyncio import AsyncSession


        async def weigh(session: AsyncSession, rows: list) -> int:
            total = await asyncio.to_thread(sum, (len(r) for r in rows))  # asyncshift: to_thread
            await session.commit()
            return total
        """,
    )


def test_asyncio_among_the_plain_standard_library_imports_in_order():
    check_transformed(
        CODEMOD,
        """\
        import abc
        import contextlib
        import time
        from collections.abc import Iterator

        from sqlalchemy.orm import Session


        def pause(session: Session) -> None:
            time.sleep(1)
            session.commit()
        """,
        """\
        import abc
        import asyncio
        import contextlib
        from collections.abc import Iterator

        from sqlalchemy.ext.asyncio import AsyncSession


        async def pause(session: AsyncSession) -> None:
            await asyncio.sleep(1)
            await session.commit()
        """,
    )


def test_the_opening_imports_all_replaced_leave_no_blank_line_above_the_first():
    check_transformed(
        CODEMOD,
        """\
        import threading
        import time

        from sqlalchemy import text
        from sqlalchemy.orm import Session


        def pause(session: Session) -> None:
            def beat() -> None:
                session.execute(text("select 1"))

            time.sleep(1)
            worker = threading.Thread(target=beat)
            worker.start()
            worker.join()
        """,
        """\
        import asyncio

        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import AsyncSession


        async def pause(session: AsyncSession) -> None:
            async def beat() -> None:
                await session.execute(text("select 1"))

            await asyncio.sleep(1)
            worker = asyncio.create_task(beat())
            await worker
        """,
    )
