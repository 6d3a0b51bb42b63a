"""``WSGIRunner``: a WSGI app's answers reach the ASGI client as under a2wsgi, whole or streamed."""

from __future__ import annotations

import asyncio
import threading

import flask
import httpx
import pytest

from compat.web.wsgi_runner import WSGIRunner


async def call(app, method="GET", path="/", body=b"", headers=(), chunks=None):
    """Drive ``app`` by hand; (messages sent, how many times the app called receive)."""
    incoming = (
        [{"type": "http.request", "body": part, "more_body": i < len(chunks) - 1} for i, part in enumerate(chunks)]
        if chunks
        else [{"type": "http.request", "body": body, "more_body": False}]
    )
    sent, received = [], 0

    async def receive():
        nonlocal received
        received += 1
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"test"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("test", 80),
    }
    await app(scope, receive, send)
    return sent, received


def flask_app() -> flask.Flask:
    app = flask.Flask(__name__)

    @app.get("/json")
    def json_view():
        return {"b": 1, "a": "é"}

    @app.post("/echo")
    def echo():
        return flask.request.get_data()

    @app.post("/form")
    def form():
        return flask.jsonify(dict(flask.request.form))

    @app.get("/stream")
    def stream():
        return flask.Response((part for part in (b"one,", b"two,", b"three")), mimetype="text/plain")

    @app.get("/big")
    def big():
        return b"x" * 5000

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    return app


async def test_answers_as_flask_does_byte_for_byte():
    app = flask_app()
    runner = WSGIRunner(app, workers=2)
    transport = httpx.ASGITransport(app=runner)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        ours = await client.get("/json")
        form = await client.post("/form", data={"name": "Ada", "city": "Zürich"})
        missing = await client.get("/nowhere")
    flask_client = app.test_client()
    theirs = flask_client.get("/json")
    assert (ours.status_code, ours.content) == (theirs.status_code, theirs.data)
    assert ours.headers["content-type"] == theirs.headers["Content-Type"]
    assert ours.headers["content-length"] == theirs.headers["Content-Length"]
    assert form.json() == {"name": "Ada", "city": "Zürich"}
    assert (missing.status_code, missing.content) == (404, flask_client.get("/nowhere").data)


async def test_a_known_length_answer_is_two_messages():
    sent, received = await call(WSGIRunner(flask_app(), workers=1), path="/json")
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[1]["more_body"] is False
    assert received == 0  # a GET with no body: nothing to read


async def test_a_body_of_known_length_is_read_on_the_loop_first():
    sent, received = await call(
        WSGIRunner(flask_app(), workers=1),
        "POST",
        "/echo",
        headers=[(b"content-length", b"6")],
        chunks=[b"abc", b"def"],
    )
    assert sent[1]["body"] == b"abcdef"
    assert received == 2


@pytest.mark.parametrize("limit", [4, 1 << 20])
async def test_a_chunked_or_large_body_is_read_on_demand(limit):
    runner = WSGIRunner(flask_app(), workers=1, body_limit=limit)
    headers = [(b"transfer-encoding", b"chunked")] if limit > 4 else [(b"content-length", b"9")]
    sent, _ = await call(runner, "POST", "/echo", headers=headers, chunks=[b"abc", b"def", b"ghi"])
    if limit > 4:  # chunked: Werkzeug reads no body without a length (as under a2wsgi)
        assert sent[0]["status"] == 200
    else:
        assert b"".join(m.get("body", b"") for m in sent[1:]) == b"abcdefghi"


async def test_a_response_without_length_is_streamed_as_it_comes():
    release = threading.Event()
    seen_first = asyncio.Event()

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"first"
        release.wait(5)
        yield b"second"

    runner = WSGIRunner(app, workers=1)
    sent = []

    async def send(message):
        sent.append(message)
        if message.get("body") == b"first":
            seen_first.set()

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "http_version": "1.1",
    }
    task = asyncio.create_task(runner(scope, receive, send))
    await asyncio.wait_for(seen_first.wait(), 5)  # the first chunk is out before the app is done
    release.set()
    await task
    assert [m.get("body") for m in sent[1:]] == [b"first", b"second", b""]
    assert sent[-1]["more_body"] is False


async def test_an_answer_over_the_buffer_limit_is_streamed_and_whole():
    sent, _ = await call(WSGIRunner(flask_app(), workers=1, buffer_limit=100), path="/big")
    assert b"".join(m.get("body", b"") for m in sent[1:]) == b"x" * 5000
    assert len(sent) >= 3 and sent[-1]["more_body"] is False


async def test_flask_streaming_and_write_and_close():
    closed = []

    class Closing:
        def __iter__(self):
            yield b"-tail"

        def close(self):
            closed.append(True)

    def app(environ, start_response):
        write = start_response("200 OK", [("Content-Length", "9")])
        write(b"head")
        return Closing()

    sent, _ = await call(WSGIRunner(app, workers=1))
    assert sent[1]["body"] == b"head-tail" and closed == [True]
    streamed, _ = await call(WSGIRunner(flask_app(), workers=1), path="/stream")
    assert b"".join(m.get("body", b"") for m in streamed[1:]) == b"one,two,three"


async def test_an_error_before_the_answer_raises_to_the_caller():
    def app(environ, start_response):
        raise ValueError("no answer")

    with pytest.raises(ValueError, match="no answer"):
        await call(WSGIRunner(app, workers=1))
    flask_sent, _ = await call(WSGIRunner(flask_app(), workers=1), path="/boom")
    assert flask_sent[0]["status"] == 500  # Flask answers its own errors


async def test_head_and_lifespan():
    sent, _ = await call(WSGIRunner(flask_app(), workers=1), "HEAD", "/json")
    assert sent[0]["status"] == 200 and sent[1]["body"] == b""
    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    answers = []

    async def receive():
        return messages.pop(0)

    async def send(message):
        answers.append(message["type"])

    await WSGIRunner(flask_app(), workers=1)({"type": "lifespan"}, receive, send)
    assert answers == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


async def test_serves_again_after_being_closed():
    """A server (or a test) that runs the same app through a second lifespan: the pool closed at
    the end of the first is not the one the second uses."""
    runner = WSGIRunner(flask_app(), workers=2)
    sent, _ = await call(runner, path="/json")
    assert sent[0]["status"] == 200
    runner.close()
    sent, _ = await call(runner, path="/json")
    assert sent[0]["status"] == 200
    runner.close()
