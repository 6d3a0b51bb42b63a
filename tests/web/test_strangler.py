"""The strangler with the real application: which side serves, flips under load, same bytes."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from web.conftest import SECRET, make_stack
from web.harness import Person, person

from admin_assistant.wiring.app import build
from admin_assistant.wiring.web import build_strangler
from compat.db import Database
from compat.flags import FlagStore, set_rollback, set_stage
from compat.shadow import MemoryRecorder

CLIENTS = 50


@pytest.fixture
async def flipping(clean_database: Database, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Path, Person]]:
    """A strangler with everything at ``async`` (web, services, repositories) and the default poll interval."""
    flags = tmp_path / "flags.yaml"
    flags.write_text("version: 1\nrollback: false\ndefault: async\n")
    application = build(clean_database, store=FlagStore(flags), recorder=MemoryRecorder())
    app = build_strangler(application, secret=SECRET, scheduling=False)
    ada = await person(application, "ada@example.org", "Ada")
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as client:
        yield client, flags, ada


async def test_served_by_follows_each_targets_stage(clean_database: Database, tmp_path: Path) -> None:
    stack = make_stack("strangler-mixed", clean_database, tmp_path)
    ada = await person(stack.application, "ada@example.org", "Ada")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(stack.app), base_url="http://t") as client:
        assert (await client.get("/api/me", headers=ada.auth)).headers["x-served-by"] == "async"
        assert (await client.get("/api/calendars", headers=ada.auth)).headers["x-served-by"] == "sync"
        assert (await client.get("/sign-in")).headers["x-served-by"] == "async"
        assert (await client.get("/static/style.css")).headers["x-served-by"] == "sync"
        assert (await client.get("/openapi.json")).headers["x-served-by"] == "async"  # FastAPI's own, always
        set_stage(stack.flags_path, "web.routes.calendars", "live")
        await asyncio.sleep(0.1)
        assert (await client.get("/api/calendars", headers=ada.auth)).headers["x-served-by"] == "async"
        set_stage(stack.flags_path, "web.routes.calendars", "sync")
        await stack.application.checker.drain()


async def test_shadow_replays_reads_and_records_them(clean_database: Database, tmp_path: Path) -> None:
    stack = make_stack("strangler-shadow", clean_database, tmp_path)
    ada = await person(stack.application, "ada@example.org", "Ada")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(stack.app), base_url="http://t") as client:
        made = await client.post("/api/calendars", json={"name": "Work"}, headers=ada.auth)
        assert made.headers["x-served-by"] == "sync"
        await client.get("/api/calendars", headers=ada.auth)
        await client.get(f"/api/calendars/{made.json()['id']}", headers=ada.auth)
        await client.get("/sign-in")
        await stack.application.checker.drain()
    runs = sorted(
        (c.target, c.method, c.served, c.status) for c in stack.recorder.comparisons if c.target.startswith("web")
    )
    assert runs == [
        ("web.routes.calendars", "GET /api/calendars", "old", "match"),
        ("web.routes.calendars", "GET /api/calendars/{calendar_id}", "old", "match"),
        ("web.routes.pages", "GET /sign-in", "old", "match"),
    ]  # the POST was not replayed


async def test_both_stacks_send_the_same_bytes(clean_database: Database, tmp_path: Path) -> None:
    flask, fastapi = make_stack("flask", clean_database, tmp_path), make_stack("fastapi", clean_database, tmp_path)
    ada = await person(flask.application, "ada@example.org", "Ada")
    clients = [httpx.AsyncClient(transport=httpx.ASGITransport(s.app), base_url="http://t") for s in (flask, fastapi)]
    made = await clients[0].post("/api/calendars", json={"name": 'Ünïcode "quoted"'}, headers=ada.auth)
    cal = made.json()["id"]
    body = {
        "start": "2025-06-02T09:00:00+02:00",
        "end": "2025-06-02T10:00:00Z",
        "subject": "Café ☕",
        "categories": ["a", "b"],
    }
    await clients[1].post(f"/api/calendars/{cal}/appointments", json=body, headers=ada.auth)
    for path in ("/api/me", "/api/calendars", f"/api/calendars/{cal}/appointments", "/api/calendars/999", "/api/nope"):
        old, new = [await c.get(path, headers=ada.auth) for c in clients]
        assert (old.status_code, old.headers["content-type"], old.content) == (
            new.status_code,
            new.headers["content-type"],
            new.content,
        )
    for c in clients:
        await c.aclose()


async def test_the_openapi_document_describes_the_api(clean_database: Database, tmp_path: Path) -> None:
    stack = make_stack("fastapi", clean_database, tmp_path)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(stack.app), base_url="http://t") as client:
        document = (await client.get("/openapi.json")).json()
    paths = document["paths"]
    assert set(paths) >= {
        "/api/me",
        "/api/calendars",
        "/api/calendars/{calendar_id}",
        "/api/calendars/{calendar_id}/appointments",
        "/api/calendars/{calendar_id}/import",
        "/api/calendars/{calendar_id}/export",
        "/api/appointments/{appointment_id}",
        "/api/archive-configurations",
        "/api/archive-configurations/{configuration_id}/runs",
        "/api/archive-runs/{run_id}",
    }
    assert not any(path.startswith(("/sign-in", "/archive-configurations")) for path in paths)
    create = paths["/api/calendars/{calendar_id}/appointments"]["post"]
    assert create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/AppointmentOut")
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/AppointmentIn")
    assert create["responses"]["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    listing = {p["name"] for p in paths["/api/calendars/{calendar_id}/appointments"]["get"]["parameters"]}
    assert listing == {"calendar_id", "start", "end", "offset", "limit"}
    assert {"HTTPBearer", "APIKeyCookie"} <= set(document["components"]["securitySchemes"])
    assert "multipart/form-data" in paths["/api/calendars/{calendar_id}/import"]["post"]["requestBody"]["content"]


async def test_fifty_clients_while_rollback_flips(flipping: tuple[httpx.AsyncClient, Path, Person]) -> None:
    client, flags, ada = flipping
    calendar_id = (await client.post("/api/calendars", json={"name": "Load"}, headers=ada.auth)).json()["id"]
    failures: list[str] = []
    created: list[str] = []
    served: list[tuple[float, str]] = []  # (when the request was sent, who served it)
    flips: list[tuple[float, str]] = [(time.monotonic(), "async")]
    done = asyncio.Event()
    deadline = time.monotonic() + 60  # a safety net: the flipper ends the run long before

    async def user(n: int) -> None:
        i = 0
        while not done.is_set() and time.monotonic() < deadline:
            subject = f"client {n} write {i}"
            body = {"start": "2025-06-02T09:00:00Z", "end": "2025-06-02T10:00:00Z", "subject": subject}
            sent = time.monotonic()
            try:
                wrote = await client.post(f"/api/calendars/{calendar_id}/appointments", json=body, headers=ada.auth)
                read = await client.get(
                    f"/api/calendars/{calendar_id}/appointments", params={"limit": 5}, headers=ada.auth
                )
            except Exception as exc:  # a transport error is a failed request too
                failures.append(f"{subject}: {exc!r}")
                continue
            if wrote.status_code != 201:
                failures.append(f"{subject}: write {wrote.status_code} {wrote.text[:200]}")
            else:
                created.append(subject)
            if read.status_code != 200:
                failures.append(f"{subject}: read {read.status_code} {read.text[:200]}")
            served.append((sent, wrote.headers.get("x-served-by", "?")))
            i += 1

    async def flipper() -> None:
        try:
            # Each stage holds 2.5 s: the first second is the flag's grace period, the rest must
            # see requests sent (a slow write-then-read pair under load can take most of a second).
            for on in (True, False, True, False):
                await asyncio.sleep(2.5)
                set_rollback(flags, on)
                flips.append((time.monotonic(), "sync" if on else "async"))
            await asyncio.sleep(2.5)
        finally:
            done.set()

    results = await asyncio.gather(flipper(), *(user(n) for n in range(CLIENTS)), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    assert not failures, f"{len(failures)} failed requests, e.g. {failures[:3]}"

    # X-Served-By follows the flag: every request sent a second or more after a flip (and before
    # the next one) was served by the side the flip chose.
    bounds = [*flips[1:], (float("inf"), "")]
    for (flipped, expected), (next_flip, _) in zip(flips, bounds, strict=False):
        window = [who for sent, who in served if flipped + 1.0 <= sent < next_flip]
        assert window, f"no request between {flipped + 1.0:.2f} and {next_flip:.2f}"
        assert set(window) == {expected}, f"after the flip to {expected}: {Counter(window)}"

    stored: list[str] = []
    offset = 0
    while True:
        page = (
            await client.get(
                f"/api/calendars/{calendar_id}/appointments", params={"offset": offset, "limit": 1000}, headers=ada.auth
            )
        ).json()
        stored += [a["subject"] for a in page["items"]]
        if page["next_offset"] is None:
            break
        offset = page["next_offset"]
    assert len(stored) == len(set(stored)), "a write was stored twice"
    assert sorted(stored) == sorted(created), "a write was lost (or one not acknowledged was stored)"
