"""Starlette's ``TestClient`` beside an engine the run made async: a TODO where the client is made.

``TestClient`` serves the app on an event loop of its own, in a thread, while async tests and fixtures run on
pytest-asyncio's loop. An asyncpg (or aiosqlite) connection belongs to the loop that opened it, and the async
engine's pool hands it to whichever loop asks next: "attached to a different loop", or a test that hangs. Seen on
a FastAPI application on SQLModel whose fixtures read the database and whose tests call the app through
``TestClient``: the converted suite passed 1 test of 61. No rewrite is safe without the tests' own shape (their
requests awaited through ``httpx.AsyncClient``), so the line says what to do.
"""

from __future__ import annotations

from typing import Any

CLIENTS = {"ref:starlette.testclient.TestClient", "ref:fastapi.testclient.TestClient"}
TODO = (
    "TestClient serves the app on its own event loop: the async engine's pooled connections belong to the loop"
    " that opened them, and tests or fixtures awaiting the database on pytest-asyncio's loop share them"
    " ('attached to a different loop'); call the app with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),"
    " base_url='http://testserver') in async tests, or give the tests' engine poolclass=NullPool"
)


def mark(conv: Any, callee: str | None) -> None:  # a Conversion (imported by it: no circle)
    """A TODO at ``TestClient(...)`` (``callee``: the call's type) when some call of the run does database I/O."""
    if callee in CLIENTS and conv.project.does_io:
        conv.todo(TODO)
