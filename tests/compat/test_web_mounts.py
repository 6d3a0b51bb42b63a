"""compat.web: what a mounted app answers (static files, a sub-app) at ``shadow`` and ``live``. It is
served by its target's stage and not replayed, so no false mismatch is recorded; told to replay it
(``replay_mounted``), the strangler sends the other side the very request the client sent (the
served app's router had rewritten the scope's ``root_path`` on its way to the mount) and the two
match. Routes beside the mounts are replayed as before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from compat import bridge
from compat.flags import FlagStore
from compat.shadow import Checker, MemoryRecorder
from compat.web import RouteTargets, Strangler
from compat.web.mounts import MountedPaths

CSS = b"body { color: #123; }\n"


def new_app(static: Path) -> Starlette:
    async def items(_request: Request) -> JSONResponse:
        return JSONResponse({"items": [1, 2]})

    async def hello(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"hello from {request.scope.get('root_path', '')}")

    return Starlette(
        routes=[
            Route("/items", items),
            Mount("/static", StaticFiles(directory=static), name="static"),
            Mount("/sub", Starlette(routes=[Route("/hello", hello)])),
        ]
    )


def old_app(seen: list[str]) -> Any:
    """Flask-like: the same static file at the same path, the same items; no /sub at all. Routes
    on PATH_INFO, as Flask does (SCRIPT_NAME is where the app itself is mounted)."""

    def app(environ: dict, start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        seen.append(environ.get("SCRIPT_NAME", "") + path)
        if path == "/static/app.css":
            start_response("200 OK", [("Content-Type", "text/css")])
            return [CSS]
        if path == "/items":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps({"items": [1, 2]}).encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return app


@pytest.fixture(autouse=True)
async def loop_registered() -> Any:
    bridge.register_loop()
    yield
    bridge.unregister_loop()


@pytest.fixture(params=["shadow", "live"])
def stage(request: pytest.FixtureRequest) -> str:
    return request.param


def make(tmp_path: Path, stage: str, seen: list[str], **options: Any) -> tuple[Strangler, Checker, MemoryRecorder]:
    static = tmp_path / "static"
    static.mkdir(exist_ok=True)
    (static / "app.css").write_bytes(CSS)
    flags = tmp_path / "flags.yaml"
    flags.write_text(f"version: 1\nrollback: false\ndefault: {stage}\n")
    store = FlagStore(flags, poll_interval=0)
    recorder = MemoryRecorder()
    checker = Checker(recorder, settings=lambda: store.snapshot().shadow)
    app = new_app(static)
    targets = RouteTargets(app.routes, lambda route: None, default="web")
    strangler = Strangler(
        app, old_app(seen), target_of=targets, store=store, checker=checker, wsgi_workers=2, **options
    )
    return strangler, checker, recorder


async def _get(strangler: Strangler, checker: Checker, *paths: str) -> list[httpx.Response]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(strangler), base_url="http://test") as http:
        answers = [await http.get(path) for path in paths]
    await checker.drain()
    return answers


async def test_static_files_and_sub_apps_are_served_and_not_replayed(tmp_path: Path, stage: str) -> None:
    seen: list[str] = []
    strangler, checker, recorder = make(tmp_path, stage, seen)
    css, hello, items = await _get(strangler, checker, "/static/app.css", "/sub/hello", "/items")
    assert (css.status_code, css.content) == (200, CSS)
    if stage == "live":  # the new app serves: its sub-app answers
        assert (hello.status_code, hello.text) == (200, "hello from /sub")
    else:  # the old app serves, and has no /sub
        assert hello.status_code == 404
    assert items.json() == {"items": [1, 2]}
    compared = [(c.method, c.matched) for c in recorder.comparisons]
    assert compared == [("GET /items", True)]  # only the route is replayed, and it matches


async def test_a_replayed_mount_gets_the_request_the_client_sent(tmp_path: Path, stage: str) -> None:
    seen: list[str] = []
    strangler, checker, recorder = make(tmp_path, stage, seen, replay_mounted=True)
    [css] = await _get(strangler, checker, "/static/app.css")
    assert (css.status_code, css.content) == (200, CSS)
    assert seen == ["/static/app.css"]  # served (shadow) or replayed (live) at its own path
    [comparison] = recorder.comparisons
    assert (comparison.method, comparison.matched, comparison.diff) == ("GET /static", True, "")


def test_mounted_paths_follow_the_router() -> None:
    app = new_app(Path("."))
    mounted = MountedPaths.of(app)
    paths = ("/static/app.css", "/sub/hello", "/items", "/nowhere", "/static")  # the last: a redirect to /static/
    assert [mounted(p) for p in paths] == [True, True, False, False, False]
    assert MountedPaths.of(object())("/static/app.css") is False  # an app without a route table
