"""A view made async whose sync code reads the request body through flask-to-fastapi's sync readers: the body is
read first with ``await`` (the sync reader cannot wait for it on the event loop)."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed

from codemods.sqlalchemy_to_async import CODEMOD

HEAD = """\
from fastapi import Request
from sqlalchemy.orm import Session
from _flask_compat import request_form, request_json


def body_of(request: Request):
    return request_json(request)["body"]
"""
CONVERTED_HEAD = HEAD.replace("from sqlalchemy.orm import Session", "from sqlalchemy.ext.asyncio import AsyncSession")


def test_a_view_that_stays_sync_is_left_alone():
    sync = HEAD.replace("from sqlalchemy.orm import Session\n", "from sqlalchemy import select\n")
    check_noop(CODEMOD, sync + "\n\ndef show(request: Request):\n    return select(body_of(request))\n")


def test_a_view_made_async_reads_the_body_first_for_its_sync_helper():
    check_transformed(
        CODEMOD,
        HEAD
        + textwrap.dedent(
            '''

            def edit(request: Request, session: Session, key: int):
                """Edit."""
                item = session.get(dict, key)
                item.body = body_of(request)
                session.commit()
            '''
        ),
        CONVERTED_HEAD
        + textwrap.dedent(
            '''

            async def edit(request: Request, session: AsyncSession, key: int):
                """Edit."""
                # the body, read here: the sync code below reads it, and cannot wait for it on the event loop (written by asyncshift)
                await request.body()
                item = await session.get(dict, key)
                item.body = body_of(request)
                await session.commit()
            '''  # noqa: E501
        ),
    )


def test_a_form_read_in_the_view_itself_is_read_first_as_a_form():
    check_transformed(
        CODEMOD,
        HEAD
        + textwrap.dedent(
            """

            def rename(req: Request, session: Session):
                session.get(dict, request_form(req)["key"]).name = "x"
                session.commit()
            """
        ),
        CONVERTED_HEAD
        + textwrap.dedent(
            """

            async def rename(req: Request, session: AsyncSession):
                # the body, read here: the sync code below reads it, and cannot wait for it on the event loop (written by asyncshift)
                await req.form()
                (await session.get(dict, request_form(req)["key"])).name = "x"
                await session.commit()
            """  # noqa: E501
        ),
    )


def test_a_function_with_no_request_parameter_gets_a_todo():
    check_transformed(
        CODEMOD,
        HEAD
        + textwrap.dedent(
            """

            def edit(current, session: Session, key: int):
                session.get(dict, key).body = body_of(current)
                session.commit()
            """
        ),
        CONVERTED_HEAD
        + textwrap.dedent(
            """

            async def edit(current, session: AsyncSession, key: int):
                # TODO(asyncshift): sync code below reads the request body, which it cannot do on the event loop now that this function is async: read it here with await request.body() (or .form())
                (await session.get(dict, key)).body = body_of(current)
                await session.commit()
            """  # noqa: E501
        ),
    )


NOTE = "# the body, read here: the sync code below reads it, and cannot wait for it on the event loop (written by asyncshift)"  # noqa: E501

BOTH = """\
from fastapi import Request
from sqlalchemy.orm import Session
from _flask_compat import request_data, request_form


def authenticate(request: Request, session: Session):
    session.get(dict, request_form(request).get("key"))
    return request_data(request)
"""


def test_a_function_reading_form_and_body_reads_the_raw_body_first_and_starlette_answers_both():
    """``await request.form()`` then ``await request.body()`` raised 'Stream consumed' on a form POST: Starlette's
    ``body()`` does not read what ``form()`` consumed, where ``form()`` parses a body read before."""
    import asyncio

    from starlette.requests import Request as StarletteRequest

    after, _ = CODEMOD.apply(BOTH)
    head = "async def authenticate(request: Request, session: AsyncSession):\n"
    assert head + f"    {NOTE}\n    await request.body()\n    await request.form()\n" in after

    async def both() -> tuple:
        sent = [{"type": "http.request", "body": b"key=7&name=x", "more_body": False}]

        async def receive():
            return sent.pop(0) if sent else {"type": "http.disconnect"}

        headers = [(b"content-type", b"application/x-www-form-urlencoded")]
        request = StarletteRequest({"type": "http", "method": "POST", "headers": headers}, receive)
        await request.body()
        await request.form()
        return await request.body(), dict(await request.form())

    assert asyncio.run(both()) == (b"key=7&name=x", {"key": "7", "name": "x"})
