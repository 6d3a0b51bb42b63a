"""Bridges: ``asyncio.run``/``run_until_complete``/``time.sleep``/``requests`` inside code that became async."""

from __future__ import annotations

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD


def test_a_bridge_in_code_that_stays_sync_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        import asyncio
        import time

        import requests


        async def fetch_remote():
            return 1


        def fetch():
            time.sleep(1)
            requests.get("https://example.org")
            return asyncio.run(fetch_remote())
        """,
    )


def test_asyncio_run_in_a_wrapper_that_async_code_calls_becomes_await():
    check_transformed(
        CODEMOD,
        """\
        import asyncio

        from sqlalchemy.orm import Session


        async def fetch_events(calendar):
            return [calendar]


        def events_sync(calendar):
            return asyncio.run(fetch_events(calendar))


        def import_events(session: Session, calendar):
            for event in events_sync(calendar):
                session.add(event)
            session.commit()


        def loop_wrapper(calendar):
            loop = asyncio.new_event_loop()
            return loop.run_until_complete(fetch_events(calendar))


        def import_more(session: Session, calendar):
            session.add_all(loop_wrapper(calendar))
            session.flush()
        """,
        """\
        import asyncio

        from sqlalchemy.ext.asyncio import AsyncSession


        async def fetch_events(calendar):
            return [calendar]


        async def events_sync(calendar):
            return await fetch_events(calendar)


        async def import_events(session: AsyncSession, calendar):
            for event in await events_sync(calendar):
                session.add(event)
            await session.commit()


        async def loop_wrapper(calendar):
            loop = asyncio.new_event_loop()
            return await fetch_events(calendar)


        async def import_more(session: AsyncSession, calendar):
            session.add_all(await loop_wrapper(calendar))
            await session.flush()
        """,
    )


def test_time_sleep_in_code_that_became_async():
    check_transformed(
        CODEMOD,
        """\
        import time

        from sqlalchemy.orm import Session


        def retry(session: Session):
            time.sleep(0.5)
            session.commit()
        """,
        """\
        import asyncio

        from sqlalchemy.ext.asyncio import AsyncSession


        async def retry(session: AsyncSession):
            await asyncio.sleep(0.5)
            await session.commit()
        """,
    )


def test_requests_in_code_that_became_async_uses_an_httpx_client_around_the_statement():
    check_transformed(
        CODEMOD,
        """\
        import requests
        from sqlalchemy.orm import Session


        def sync_user(session: Session, user):
            data = requests.get(f"https://api/users/{user.id}", timeout=5, verify=False).json()
            user.name = data["name"]
            session.commit()
        """,
        """\
        import httpx
        from sqlalchemy.ext.asyncio import AsyncSession


        async def sync_user(session: AsyncSession, user):
            async with httpx.AsyncClient(verify=False, follow_redirects=True) as client:
                data = (await client.get(f"https://api/users/{user.id}", timeout=5)).json()
            user.name = data["name"]
            await session.commit()
        """,
    )


def test_a_shared_requests_session_gets_a_todo():
    check_transformed(
        CODEMOD,
        """\
        import requests
        from sqlalchemy.orm import Session


        def sync_all(session: Session):
            http = requests.Session()
            session.commit()
            return http
        """,
        """\
        import requests
        from sqlalchemy.ext.asyncio import AsyncSession


        async def sync_all(session: AsyncSession):
            # TODO(asyncshift): requests.Session is shared here: make one httpx.AsyncClient, use it with await, close it
            http = requests.Session()
            await session.commit()
            return http
        """,
    )


def test_the_client_takes_a_name_the_function_does_not_use():
    check_transformed(
        CODEMOD,
        """\
        import requests
        from sqlalchemy.orm import Session


        def ping(session: Session, client):
            requests.post(client.url)
            session.commit()
        """,
        """\
        import httpx
        from sqlalchemy.ext.asyncio import AsyncSession


        async def ping(session: AsyncSession, client):
            async with httpx.AsyncClient(follow_redirects=True) as http_client:
                await http_client.post(client.url)
            await session.commit()
        """,
    )
