"""The HTML pages: sign-in, dashboard, archive configurations; CSRF on every form."""

from __future__ import annotations

import datetime as dt

import httpx
from web.harness import Person, csrf_of, sign_in
from web.test_api import calendar


async def test_signed_out_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    for path in ("/", "/archive-configurations"):
        response = await client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/sign-in"


async def test_the_sign_in_form_carries_a_csrf_token(client: httpx.AsyncClient) -> None:
    page = await client.get("/sign-in")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Sign in</h1>" in page.text and len(csrf_of(page)) == 64


async def test_a_form_without_its_csrf_token_is_refused(client: httpx.AsyncClient, ada: Person) -> None:
    await client.get("/sign-in")
    refused = await client.post("/sign-in", data={"email": ada.email, "token": ada.token})
    assert refused.status_code == 403 and "CSRF" in refused.text
    assert (await client.get("/", follow_redirects=False)).status_code == 303
    csrf = await sign_in(client, ada)
    assert csrf
    no_token = await client.post("/archive-configurations", data={"name": "X"})
    assert no_token.status_code == 403
    assert (await client.post("/sign-out", data={})).status_code == 403


async def test_a_wrong_token_does_not_sign_in(client: httpx.AsyncClient, ada: Person, grace: Person) -> None:
    form = await client.get("/sign-in")
    response = await client.post(
        "/sign-in", data={"email": ada.email, "token": grace.token, "csrf_token": csrf_of(form)}
    )
    assert response.status_code == 401 and "Unknown email or API token" in response.text
    assert (await client.get("/api/me")).status_code == 401


async def test_the_dashboard_shows_today_upcoming_and_recent_runs(client: httpx.AsyncClient, ada: Person) -> None:
    source, archive = await calendar(client, ada, "Work"), await calendar(client, ada, "Archive", "archive")
    now = dt.datetime.now(dt.UTC)
    for subject, start in (("Later today", now + dt.timedelta(minutes=1)), ("Next week", now + dt.timedelta(days=3))):
        body = {"start": start.isoformat(), "end": (start + dt.timedelta(minutes=30)).isoformat(), "subject": subject}
        assert (
            await client.post(f"/api/calendars/{source['id']}/appointments", json=body, headers=ada.auth)
        ).status_code == 201
    config = {"name": "Nightly", "source_calendar_id": source["id"], "archive_calendar_id": archive["id"]}
    config_id = (await client.post("/api/archive-configurations", json=config, headers=ada.auth)).json()["id"]
    await client.post(
        f"/api/archive-configurations/{config_id}/runs", json={"date_range": "last 7 days"}, headers=ada.auth
    )
    await sign_in(client, ada)
    page = await client.get("/")
    assert page.status_code == 200
    today, upcoming = page.text.split("<h2>Upcoming</h2>")
    today_part = today.split("<h2>Today</h2>")[1]
    local_day = now.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London")).date()
    later = (now + dt.timedelta(minutes=1)).astimezone(__import__("zoneinfo").ZoneInfo("Europe/London")).date()
    if later == local_day:
        assert "Later today" in today_part
    assert "Next week" in upcoming
    assert "Nightly" in upcoming and "succeeded" in upcoming


async def test_archive_configurations_are_made_run_and_paused_from_the_page(
    client: httpx.AsyncClient, ada: Person
) -> None:
    source, archive = await calendar(client, ada, "Work"), await calendar(client, ada, "Archive", "archive")
    csrf = await sign_in(client, ada)
    form = {
        "csrf_token": csrf,
        "name": "Evening",
        "source_calendar_id": str(source["id"]),
        "archive_calendar_id": str(archive["id"]),
        "timezone": "Europe/London",
        "schedule": "21:30",
    }
    made = await client.post("/archive-configurations", data=form)
    assert made.status_code == 303 and made.headers["location"] == "/archive-configurations"
    page = await client.get("/archive-configurations")
    assert "Evening" in page.text and "21:30" in page.text and "active" in page.text
    config_id = (await client.get("/api/archive-configurations", headers=ada.auth)).json()["items"][0]["id"]
    ran = await client.post(
        f"/archive-configurations/{config_id}/run", data={"csrf_token": csrf, "date_range": "yesterday"}
    )
    assert ran.status_code == 303 and ran.headers["location"] == "/"
    assert len((await client.get("/api/archive-runs", headers=ada.auth)).json()["items"]) == 1
    paused = await client.post(f"/archive-configurations/{config_id}/deactivate", data={"csrf_token": csrf})
    assert paused.status_code == 303
    assert "paused" in (await client.get("/archive-configurations")).text


async def test_a_refused_form_shows_why(client: httpx.AsyncClient, ada: Person) -> None:
    source = await calendar(client, ada, "Work")
    await calendar(client, ada, "Other")
    csrf = await sign_in(client, ada)
    form = {
        "csrf_token": csrf,
        "name": "Loop",
        "source_calendar_id": str(source["id"]),
        "archive_calendar_id": str(source["id"]),
    }
    response = await client.post("/archive-configurations", data=form)
    assert response.status_code == 422 and "two different calendars" in response.text


async def test_signing_out_ends_the_session(client: httpx.AsyncClient, ada: Person) -> None:
    csrf = await sign_in(client, ada)
    out = await client.post("/sign-out", data={"csrf_token": csrf})
    assert out.status_code == 303 and out.headers["location"] == "/sign-in"
    assert (await client.get("/api/me")).status_code == 401
