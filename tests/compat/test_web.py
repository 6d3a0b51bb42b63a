"""compat.web: the strangler in front of two tiny apps (a Starlette one and a plain WSGI one)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse
from starlette.routing import Route

from compat import bridge
from compat.flags import FlagStore, set_stage
from compat.shadow import Checker, MemoryRecorder
from compat.web import RouteTargets, Strangler, html_text

ITEMS = "web.items"


def new_app(calls: list[str], *, items: Any = None, page: str = "<p>Hello <b>you</b></p>") -> Starlette:
    async def list_items(request: Request) -> JSONResponse:
        calls.append(f"new {request.method} {request.headers.get('x-asyncshift-replay', '')}")
        return JSONResponse(items if items is not None else {"items": [1, 2], "at": "new"})

    async def add_item(request: Request) -> JSONResponse:
        calls.append(f"new POST {await request.body()!r} {request.headers.get('x-asyncshift-replay', '')}")
        return JSONResponse({"added": True}, status_code=201)

    async def show_page(_request: Request) -> HTMLResponse:
        return HTMLResponse(page)

    async def slow(_request: Request) -> PlainTextResponse:
        await asyncio.sleep(5)
        return PlainTextResponse("late")

    async def boom(_request: Request) -> PlainTextResponse:
        raise RuntimeError("secret detail")

    return Starlette(
        routes=[
            Route("/items", list_items, methods=["GET"]),
            Route("/items", add_item, methods=["POST"]),
            Route("/page", show_page),
            Route("/slow", slow),
            Route("/boom", boom),
        ]
    )


def old_app(calls: list[str], *, page: str = "<div>Hello   you</div>") -> Any:
    def app(environ: dict, start_response: Any) -> list[bytes]:
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        replay = environ.get("HTTP_X_ASYNCSHIFT_REPLAY", "")
        if path == "/items" and method == "POST":
            body = environ["wsgi.input"].read()
            calls.append(f"old POST {body!r} {replay}")
            start_response("201 Created", [("Content-Type", "application/json")])
            return [b'{"added": true}']
        calls.append(f"old {method} {replay}")
        if path == "/page":
            start_response("200 OK", [("Content-Type", "text/html")])
            return [page.encode()]
        if path == "/boom":
            raise RuntimeError("secret detail")
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"at": "old", "items": [1, 2]}).encode()]

    return app


def targets() -> RouteTargets:
    return RouteTargets(new_app([]).routes, lambda route: ITEMS if route.path == "/items" else None, default="web")


@pytest.fixture
def flags(tmp_path: Path) -> Path:
    path = tmp_path / "flags.yaml"
    path.write_text("version: 1\nrollback: false\ndefault: sync\nshadow:\n  ignore_fields: [at]\n")
    return path


@pytest.fixture(autouse=True)
async def loop_registered() -> Any:
    bridge.register_loop()
    yield
    bridge.unregister_loop()


def make(flags: Path, calls: list[str], **options: Any) -> tuple[Strangler, MemoryRecorder]:
    store = FlagStore(flags, poll_interval=0)
    recorder = MemoryRecorder()
    checker = Checker(recorder, settings=lambda: store.snapshot().shadow)
    new_options = {k: options.pop(k) for k in ("items", "page") if k in options}
    old_options = {"page": options.pop("old_page")} if "old_page" in options else {}
    strangler = Strangler(
        new_app(calls, **new_options),
        old_app(calls, **old_options),
        target_of=targets(),
        store=store,
        checker=checker,
        wsgi_workers=4,
        **options,
    )
    return strangler, recorder


def client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://test")


async def test_sync_goes_to_the_old_app_and_async_to_the_new(flags: Path) -> None:
    calls: list[str] = []
    strangler, _ = make(flags, calls)
    async with client(strangler) as http:
        first = await http.get("/items")
        set_stage(flags, ITEMS, "async")
        second = await http.get("/items")
    assert (first.json()["at"], first.headers["x-served-by"]) == ("old", "sync")
    assert (second.json()["at"], second.headers["x-served-by"]) == ("new", "async")
    assert calls == ["old GET ", "new GET "]


async def test_the_most_specific_target_decides(flags: Path) -> None:
    strangler, _ = make(flags, [])
    set_stage(flags, "web", "async")
    set_stage(flags, ITEMS, "sync")
    async with client(strangler) as http:
        assert (await http.get("/items")).headers["x-served-by"] == "sync"
        assert (await http.get("/page")).headers["x-served-by"] == "async"
        assert (await http.get("/nowhere")).headers["x-served-by"] == "async"


async def test_shadow_serves_old_and_replays_reads_on_new(flags: Path) -> None:
    calls: list[str] = []
    strangler, recorder = make(flags, calls)
    set_stage(flags, ITEMS, "shadow")
    async with client(strangler) as http:
        response = await http.get("/items")
        await strangler.checker.drain()
    assert response.headers["x-served-by"] == "sync" and response.json()["at"] == "old"
    assert calls == ["old GET ", "new GET read"]
    [run] = recorder.comparisons
    assert (run.target, run.method, run.stage, run.served, run.status) == (
        ITEMS,
        "GET /items",
        "shadow",
        "old",
        "match",
    )


async def test_live_serves_new_and_replays_on_old(flags: Path) -> None:
    calls: list[str] = []
    strangler, recorder = make(flags, calls)
    set_stage(flags, ITEMS, "live")
    async with client(strangler) as http:
        response = await http.get("/items")
        await strangler.checker.drain()
    assert response.headers["x-served-by"] == "async"
    assert calls == ["new GET ", "old GET read"]
    assert [c.served for c in recorder.comparisons] == ["new"]


async def test_a_different_answer_is_recorded_and_the_caller_keeps_theirs(flags: Path) -> None:
    strangler, recorder = make(flags, [], items={"items": [1, 3], "at": "new"})
    set_stage(flags, ITEMS, "shadow")
    async with client(strangler) as http:
        response = await http.get("/items")
        await strangler.checker.drain()
    assert response.json() == {"at": "old", "items": [1, 2]}
    [run] = recorder.comparisons
    assert run.status == "mismatch" and "$.body.items[1]: 2 != 3" in run.diff


async def test_html_is_compared_by_its_text(flags: Path) -> None:
    strangler, recorder = make(
        flags, [], page="<main><p>Hello <b>you</b></p></main>", old_page="<div>Hello   you</div>"
    )
    set_stage(flags, "web", "shadow")
    async with client(strangler) as http:
        await http.get("/page")
        await strangler.checker.drain()
    assert [c.status for c in recorder.comparisons] == ["match"]
    assert html_text('<p>a <input value="csrf"> b<script>x()</script></p>') == "a b"


async def test_writes_are_not_replayed_unless_the_target_opts_in(flags: Path) -> None:
    calls: list[str] = []
    strangler, recorder = make(flags, calls)
    set_stage(flags, ITEMS, "shadow")
    async with client(strangler) as http:
        assert (await http.post("/items", content=b"x=1")).status_code == 201
        await strangler.checker.drain()
    assert calls == ["old POST b'x=1' "] and recorder.comparisons == []

    calls.clear()
    opted, recorder = make(flags, calls, replay_writes=lambda target: target == ITEMS)
    async with client(opted) as http:
        assert (await http.post("/items", content=b"x=1")).status_code == 201
        await opted.checker.drain()
    assert calls == ["old POST b'x=1' ", "new POST b'x=1' rollback"]
    assert [c.status for c in recorder.comparisons] == ["match"]


async def test_a_slow_replay_times_out_without_delaying_the_answer(flags: Path) -> None:
    flags.write_text("version: 1\ndefault: shadow\nshadow:\n  timeout: 0.2\n")
    strangler, recorder = make(flags, [])
    async with client(strangler) as http:
        response = await http.get("/slow")  # the old app answers at once; the new one sleeps
        await strangler.checker.drain()
    assert response.status_code == 200
    assert [c.status for c in recorder.comparisons] == ["timeout"]


async def test_a_side_that_raises_answers_500_without_the_trace(flags: Path) -> None:
    strangler, _ = make(flags, [])
    async with client(strangler) as http:
        old = await http.get("/boom")
        set_stage(flags, "web", "async")
        new = await http.get("/boom")
    assert old.json()["error"]["code"] == "internal_error"  # the WSGI app raised before answering
    for response in (old, new):  # the Starlette app answered its own 500, then raised
        assert response.status_code == 500
        assert "secret detail" not in response.text
    assert (old.headers.get("x-served-by"), new.headers.get("x-served-by")) == ("sync", "async")


async def test_new_only_targets_are_always_served_by_the_new_app(flags: Path) -> None:
    strangler, _ = make(flags, [], new_only=lambda target: target == ITEMS)
    async with client(strangler) as http:
        assert (await http.get("/items")).headers["x-served-by"] == "async"


def test_route_targets_name_a_path_by_its_route() -> None:
    named = targets()
    assert named("GET", "/items") == (ITEMS, "/items")
    assert named("DELETE", "/items") == (ITEMS, "/items")  # wrong method, same resource
    assert named("GET", "/page") == ("web", "/page")
    assert named("GET", "/nowhere") == ("web", "(unrouted)")


async def test_lifespan_registers_the_loop_runs_hooks_and_the_new_apps_lifespan(flags: Path) -> None:
    bridge.unregister_loop()
    events: list[str] = []

    async def inner(scope: dict, receive: Any, send: Any) -> None:
        assert scope["type"] == "lifespan"
        while True:
            message = await receive()
            events.append(f"inner {message['type']}")
            kind = message["type"].split(".")[1]
            await send({"type": f"lifespan.{kind}.complete"})
            if kind == "shutdown":
                return

    strangler = Strangler(
        inner,
        old_app([]),
        target_of=targets(),
        store=FlagStore(flags),
        wsgi_workers=2,
        anyio_threads=7,
        on_startup=[lambda: events.append("start hook")],
        on_shutdown=[lambda: events.append("stop hook")],
    )
    to_app: asyncio.Queue[dict] = asyncio.Queue()
    from_app: asyncio.Queue[dict] = asyncio.Queue()
    task = asyncio.ensure_future(strangler({"type": "lifespan", "state": {}}, to_app.get, from_app.put))
    await to_app.put({"type": "lifespan.startup"})
    assert (await from_app.get())["type"] == "lifespan.startup.complete"
    import anyio.to_thread

    assert bridge.registered_loop() is asyncio.get_running_loop()
    assert anyio.to_thread.current_default_thread_limiter().total_tokens == 7
    await to_app.put({"type": "lifespan.shutdown"})
    assert (await from_app.get())["type"] == "lifespan.shutdown.complete"
    await task
    assert events == ["start hook", "inner lifespan.startup", "inner lifespan.shutdown", "stop hook"]
    assert bridge.registered_loop() is None
    anyio.to_thread.current_default_thread_limiter().total_tokens = 40


async def test_the_new_side_serves_at_most_new_concurrency_requests_at_once(flags: Path) -> None:
    running = peak = 0

    async def slow(scope: dict, receive: Any, send: Any) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.02)
        running -= 1
        await PlainTextResponse("ok")(scope, receive, send)

    set_stage(flags, ITEMS, "async")
    strangler = Strangler(
        slow,
        old_app([]),
        target_of=targets(),
        store=FlagStore(flags, poll_interval=0),
        wsgi_workers=2,
        new_concurrency=3,
    )
    await strangler.startup()
    try:
        async with client(strangler) as http:
            answers = await asyncio.gather(*(http.get("/items") for _ in range(12)))
    finally:
        await strangler.shutdown()
    assert [a.status_code for a in answers] == [200] * 12 and peak == 3
