"""Threads whose target becomes a coroutine function: asyncio tasks, stopped by an ``asyncio.Event``; and a
coroutine's wait on a thread that stays one, run in a thread."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_heartbeat_thread_stopped_by_an_event_becomes_a_task_stopped_by_an_asyncio_event():
    check_transformed(
        CODEMOD,
        """\
        from __future__ import annotations

        import contextlib
        import contextvars
        import threading
        from collections.abc import Iterator

        from sqlalchemy import text
        from sqlalchemy.orm import sessionmaker


        class Runs:
            def __init__(self, sessions: sessionmaker) -> None:
                self.sessions = sessions

            def copy(self, run_id: int) -> None:
                with self.kept_alive(run_id):
                    with self.sessions() as session:
                        session.execute(text("insert into copies select * from sources"))
                        session.commit()

            @contextlib.contextmanager
            def kept_alive(self, run_id: int) -> Iterator[None]:
                stop = threading.Event()

                def beat() -> None:
                    while not stop.wait(10.0):
                        with self.sessions() as session:
                            session.execute(text("update runs set beat = now()"))
                            session.commit()

                context = contextvars.copy_context()
                thread = threading.Thread(target=context.run, args=(beat,), name=f"run-{run_id}", daemon=True)
                thread.start()
                try:
                    yield
                finally:
                    stop.set()
                    thread.join()
        """,
        """\
        from __future__ import annotations

        import asyncio
        import contextlib
        import contextvars
        from collections.abc import AsyncIterator

        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import async_sessionmaker


        async def _event_wait(event, timeout=None):
            \"\"\"threading.Event.wait(timeout) on an asyncio.Event: whether it is set (by asyncshift).\"\"\"
            try:
                await asyncio.wait_for(event.wait(), timeout)
            except TimeoutError:
                pass
            return event.is_set()


        class Runs:
            def __init__(self, sessions: async_sessionmaker) -> None:
                self.sessions = sessions

            async def copy(self, run_id: int) -> None:
                async with self.kept_alive(run_id):
                    async with self.sessions() as session:
                        await session.execute(text("insert into copies select * from sources"))
                        await session.commit()

            @contextlib.asynccontextmanager
            async def kept_alive(self, run_id: int) -> AsyncIterator[None]:
                stop = asyncio.Event()

                async def beat() -> None:
                    while not await _event_wait(stop, 10.0):
                        async with self.sessions() as session:
                            await session.execute(text("update runs set beat = now()"))
                            await session.commit()

                context = contextvars.copy_context()
                thread = asyncio.create_task(beat(), name=f"run-{run_id}", context=context)
                try:
                    yield
                finally:
                    stop.set()
                    await thread
        """,
    )


def test_a_thread_started_where_it_is_made_becomes_a_task_with_a_todo_to_keep_it():
    check_transformed(
        CODEMOD,
        """\
        import threading

        from sqlalchemy.orm import Session


        def notify(session: Session, user_id: int) -> None:
            def send() -> None:
                session.execute(text("insert into outbox values (:id)"), {"id": user_id})
                session.commit()

            threading.Thread(target=send, args=()).start()
        """,
        """\
        import asyncio

        from sqlalchemy.ext.asyncio import AsyncSession


        async def notify(session: AsyncSession, user_id: int) -> None:
            async def send() -> None:
                await session.execute(text("insert into outbox values (:id)"), {"id": user_id})
                await session.commit()

            # TODO(asyncshift): keep a reference to this task until it ends: the event loop holds only a weak one
            asyncio.create_task(send())
        """,
    )


def test_a_thread_that_gets_out_of_its_function_stays_a_thread_and_its_target_sync():
    check_transformed(
        CODEMOD,
        """\
        import threading

        from sqlalchemy.orm import Session


        def notify(session: Session) -> threading.Thread:
            def send() -> None:
                session.commit()

            sender = threading.Thread(target=send)
            sender.start()
            return sender
        """,
        """\
        import threading

        from sqlalchemy.ext.asyncio import AsyncSession


        def notify(session: AsyncSession) -> threading.Thread:
            def send() -> None:
                # TODO(asyncshift): session.commit() is a coroutine now, but 'send' is handed to threading.Thread(target=...), which calls it without awaiting: move it out
                session.commit()

            sender = threading.Thread(target=send)
            sender.start()
            return sender
        """,  # noqa: E501
    )


def test_a_coroutine_waiting_on_a_thread_that_stays_one_waits_in_a_thread():
    check_transformed(
        CODEMOD,
        """\
        import logging
        import threading

        from sqlalchemy.orm import Session

        log = logging.getLogger(__name__)


        def compress(session: Session, path: str) -> None:
            def work() -> None:
                log.info("compressing %s", path)

            worker = threading.Thread(target=work)
            worker.start()
            worker.join()
            session.commit()


        def settle(session: Session) -> None:
            settled = threading.Event()
            settled.wait(1.0)
            session.commit()
        """,
        """\
        import asyncio
        import logging
        import threading

        from sqlalchemy.ext.asyncio import AsyncSession

        log = logging.getLogger(__name__)


        async def compress(session: AsyncSession, path: str) -> None:
            def work() -> None:
                log.info("compressing %s", path)

            worker = threading.Thread(target=work)
            worker.start()
            await asyncio.to_thread(worker.join)
            await session.commit()


        async def settle(session: AsyncSession) -> None:
            settled = threading.Event()
            await asyncio.to_thread(settled.wait, 1.0)
            await session.commit()
        """,
    )


def test_a_thread_started_on_a_condition_stays_a_thread_and_one_started_at_once_hands_its_args_on():
    check_transformed(
        CODEMOD,
        """\
        import threading

        from sqlalchemy.orm import Session


        def maybe(session: Session, go: bool) -> None:
            def beat() -> None:
                session.commit()

            t = threading.Thread(target=beat)
            if go:
                t.start()


        def always(session: Session, extra: tuple) -> None:
            def beat(n: int, x: int) -> None:
                session.commit()

            t = threading.Thread(target=beat, args=extra, kwargs={"x": 1})
            t.start()
            t.join()
        """,
        """\
        import asyncio
        import threading

        from sqlalchemy.ext.asyncio import AsyncSession


        def maybe(session: AsyncSession, go: bool) -> None:
            def beat() -> None:
                # TODO(asyncshift): session.commit() is a coroutine now, but 'beat' is handed to threading.Thread(target=...), which calls it without awaiting: move it out
                session.commit()

            t = threading.Thread(target=beat)
            if go:
                t.start()


        async def always(session: AsyncSession, extra: tuple) -> None:
            async def beat(n: int, x: int) -> None:
                await session.commit()

            t = asyncio.create_task(beat(*extra, **{"x": 1}))
            await t
        """,  # noqa: E501
    )
