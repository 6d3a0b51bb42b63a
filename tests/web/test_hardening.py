"""No input brings the server down: costly uploads are refused fast, input errors are 4xx (issue 16).

Every case runs on every way of serving (``client``: Flask, FastAPI, the strangler at each stage)
and both databases, with one set of expectations.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from web.conftest import SECRET
from web.harness import Person, person

from admin_assistant.wiring.app import build
from admin_assistant.wiring.web import build_strangler
from compat.db import Database
from compat.flags import FlagStore
from compat.shadow import MemoryRecorder

CLIENTS = 50
THINK = 0.5  # seconds between a client's rounds: a busy server, not a saturated one, where every
# request (not only the upload) would wait behind the fifty in flight for a second or more
ENDLESS_ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\nUID:endless@example.org\r\n"
    b"DTSTAMP:20250101T000000Z\r\nDTSTART:20250101T090000Z\r\nDTEND:20250101T091000Z\r\n"
    b"RRULE:FREQ=MINUTELY\r\nSUMMARY:Every minute, forever\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def assert_error(response: httpx.Response, status: int, code: str, *words: str) -> None:
    """The documented error body: ``{"error": {"status", "code", "message", "id"}}``."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["status"], error["code"], error["id"]) == (status, code, None), error
    for word in words:
        assert word in error["message"], error["message"]


async def test_an_endless_recurring_event_is_refused_with_a_422(client: httpx.AsyncClient, ada: Person) -> None:
    work = (await client.post("/api/calendars", json={"name": "Work"}, headers=ada.auth)).json()
    upload = {"file": ("endless.ics", ENDLESS_ICS, "text/calendar")}
    response = await client.post(f"/api/calendars/{work['id']}/import", files=upload, headers=ada.auth)
    assert_error(response, 422, "invalid", "endless@example.org", "COUNT or UNTIL")
    listed = await client.get(f"/api/calendars/{work['id']}/appointments", headers=ada.auth)
    assert listed.json()["items"] == []


@pytest.fixture(params=["sync", "async"])
async def loaded(
    request: pytest.FixtureRequest, clean_database: Database, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, Person]]:
    """The strangler with every target at one stage: Flask and the sync services (``sync``), or
    FastAPI and the async services (``async``)."""
    flags = tmp_path / "flags.yaml"
    flags.write_text(f"version: 1\nrollback: false\ndefault: {request.param}\n")
    application = build(clean_database, store=FlagStore(flags), recorder=MemoryRecorder())
    app = build_strangler(application, secret=SECRET, scheduling=False)
    ada = await person(application, "ada@example.org", "Ada")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app), base_url="http://testserver", timeout=60
    ) as client:
        yield client, ada


async def test_the_endless_upload_answers_within_a_second_while_fifty_clients_keep_working(
    loaded: tuple[httpx.AsyncClient, Person],
) -> None:
    client, ada = loaded
    calendar_id = (await client.post("/api/calendars", json={"name": "Load"}, headers=ada.auth)).json()["id"]
    failures: list[str] = []
    done = asyncio.Event()
    answered = asyncio.Event()
    rounds = 0

    async def user(n: int) -> None:
        nonlocal rounds
        i = 0
        while not done.is_set():
            body = {"start": "2025-06-02T09:00:00Z", "end": "2025-06-02T10:00:00Z", "subject": f"client {n} {i}"}
            try:
                wrote = await client.post(f"/api/calendars/{calendar_id}/appointments", json=body, headers=ada.auth)
                read = await client.get(
                    f"/api/calendars/{calendar_id}/appointments", params={"limit": 5}, headers=ada.auth
                )
            except Exception as exc:  # a transport error is a failed request too
                failures.append(f"client {n}: {exc!r}")
                continue
            if wrote.status_code != 201 or read.status_code != 200:
                failures.append(f"client {n}: write {wrote.status_code}, read {read.status_code}: {read.text[:200]}")
            if answered.is_set():
                rounds += 1
            i += 1
            await asyncio.sleep(THINK)

    async def uploader() -> tuple[httpx.Response, float]:
        try:
            await asyncio.sleep(0.5)  # the clients are under way
            upload = {"file": ("endless.ics", ENDLESS_ICS, "text/calendar")}
            started = time.monotonic()
            response = await client.post(f"/api/calendars/{calendar_id}/import", files=upload, headers=ada.auth)
            took = time.monotonic() - started
            answered.set()
            await asyncio.sleep(1.0)  # and the clients go on after it
            return response, took
        finally:
            done.set()

    (response, took), *_ = await asyncio.gather(uploader(), *(user(n) for n in range(CLIENTS)))
    assert_error(response, 422, "invalid", "endless@example.org")
    assert took < 1.0, f"the endless upload took {took:.2f} s"
    assert not failures, f"{len(failures)} failed requests, e.g. {failures[:3]}"
    assert rounds >= CLIENTS, f"only {rounds} write-and-read rounds in the second after the upload"
