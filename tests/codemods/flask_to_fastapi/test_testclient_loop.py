"""The Flask-style test client makes every request on one event loop, inside ``with client:`` and out, across
clients: what an async engine's pool opened on the first request's loop (asyncpg's connections) is used on a
later one as a server would use it (a loop per request or per block: 'attached to a different loop', a 500)."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from codemods.flask_to_fastapi.testclient import FlaskStyleClient


def _pooled_app() -> FastAPI:
    app = FastAPI()
    pool: list[asyncio.AbstractEventLoop] = []

    @app.get("/pooled")
    async def pooled():
        if not pool:  # a connection opened on the loop of the first request, kept for the next ones
            pool.append(asyncio.get_running_loop())
        reply = pool[0].create_future()  # as asyncpg's protocol waits on its own loop's futures
        pool[0].call_soon(reply.set_result, "connection")
        return {"got": await reply}

    return app


def test_requests_in_and_out_of_with_blocks_share_one_loop():
    app = _pooled_app()
    client = FlaskStyleClient(app)
    assert client.get("/pooled").get_json() == {"got": "connection"}
    with client:
        assert client.get("/pooled").status_code == 200
    assert client.get("/pooled").status_code == 200
    assert FlaskStyleClient(app).get("/pooled").status_code == 200  # another client of the same app
