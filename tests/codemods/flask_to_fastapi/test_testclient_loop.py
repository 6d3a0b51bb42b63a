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


def test_an_async_factory_builds_its_app_on_the_requests_loop():
    """A factory the conversion made async (``await load_plugins(app)`` reads the database at start-up) opened its
    pool's connection on the loop it ran on: ``on_the_loop`` runs it on the requests' loop."""
    from codemods.flask_to_fastapi.testclient_loop import on_the_loop

    async def create_app() -> FastAPI:
        app = _pooled_app()
        await asyncio.sleep(0)
        app.state.opened_on = asyncio.get_running_loop()
        return app

    app = on_the_loop(create_app())

    @app.get("/loop")
    async def loop():
        return {"same": asyncio.get_running_loop() is app.state.opened_on}

    assert FlaskStyleClient(app).get("/loop").get_json() == {"same": True}
