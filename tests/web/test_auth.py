"""Who may call what: bearer tokens, the shared session cookie, CSRF, and nobody else's data."""

from __future__ import annotations

import httpx
import pytest
from web.harness import Person, sign_in
from web.test_api import appointment, calendar

from admin_assistant.presentation.webcommon import CSRF_HEADER, SESSION_COOKIE


async def graces_things(client: httpx.AsyncClient, grace: Person) -> dict[str, int]:
    source, archive = await calendar(client, grace, "Work"), await calendar(client, grace, "Archive", "archive")
    made = await appointment(client, grace, source["id"], 2)
    body = {"name": "Daily", "source_calendar_id": source["id"], "archive_calendar_id": archive["id"]}
    config = (await client.post("/api/archive-configurations", json=body, headers=grace.auth)).json()
    run = (
        await client.post(
            f"/api/archive-configurations/{config['id']}/runs", json={"date_range": "1-6-2025"}, headers=grace.auth
        )
    ).json()
    return {
        "calendar": source["id"],
        "archive": archive["id"],
        "appointment": made["id"],
        "configuration": config["id"],
        "run": run["id"],
    }


async def test_another_users_things_are_not_found(client: httpx.AsyncClient, ada: Person, grace: Person) -> None:
    ids = await graces_things(client, grace)
    mine = await calendar(client, ada, "Mine")
    attempts = [
        ("GET", f"/api/calendars/{ids['calendar']}", None),
        ("DELETE", f"/api/calendars/{ids['calendar']}", None),
        ("GET", f"/api/calendars/{ids['calendar']}/appointments", None),
        (
            "POST",
            f"/api/calendars/{ids['calendar']}/appointments",
            {"start": "2025-06-02T09:00:00Z", "end": "2025-06-02T10:00:00Z"},
        ),
        ("GET", f"/api/calendars/{ids['calendar']}/export", None),
        ("GET", f"/api/appointments/{ids['appointment']}", None),
        ("PATCH", f"/api/appointments/{ids['appointment']}", {"subject": "mine now"}),
        ("DELETE", f"/api/appointments/{ids['appointment']}", None),
        ("GET", f"/api/archive-configurations/{ids['configuration']}", None),
        ("POST", f"/api/archive-configurations/{ids['configuration']}/deactivate", None),
        ("DELETE", f"/api/archive-configurations/{ids['configuration']}", None),
        ("POST", f"/api/archive-configurations/{ids['configuration']}/runs", {"date_range": "yesterday"}),
        ("GET", f"/api/archive-runs/{ids['run']}", None),
        (
            "POST",
            "/api/archive-configurations",
            {"name": "Steal", "source_calendar_id": mine["id"], "archive_calendar_id": ids["archive"]},
        ),
    ]
    for method, url, body in attempts:
        response = await client.request(method, url, json=body, headers=ada.auth)
        assert response.status_code == 404, f"{method} {url}: {response.status_code} {response.text}"
        assert response.json()["error"]["code"] == "not_found"
    assert (await client.get("/api/archive-runs", headers=ada.auth)).json()["items"] == []
    still = await client.get(f"/api/appointments/{ids['appointment']}", headers=grace.auth)
    assert still.status_code == 200 and still.json()["subject"] == "Meeting"


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer aa_forged-token-that-nobody-has", "Bearer ", "Basic YWRhOnNlY3JldA==", "aa_no_scheme"],
    ids=["missing", "forged", "empty", "other-scheme", "no-scheme"],
)
async def test_requests_without_a_valid_token_are_unauthorized(
    client: httpx.AsyncClient, ada: Person, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = await client.get("/api/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert (await client.post("/api/calendars", json={"name": "X"}, headers=headers)).status_code == 401


async def test_a_signed_in_session_reaches_the_api(client: httpx.AsyncClient, ada: Person) -> None:
    csrf = await sign_in(client, ada)
    assert (await client.get("/api/me")).json()["email"] == ada.email
    made = await client.post("/api/calendars", json={"name": "From the browser"}, headers={CSRF_HEADER: csrf})
    assert made.status_code == 201


async def test_a_cookie_write_without_the_csrf_header_is_forbidden(client: httpx.AsyncClient, ada: Person) -> None:
    await sign_in(client, ada)
    refused = await client.post("/api/calendars", json={"name": "Forged"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    wrong = await client.post("/api/calendars", json={"name": "Forged"}, headers={CSRF_HEADER: "0" * 64})
    assert wrong.status_code == 403
    assert (await client.get("/api/calendars", headers=ada.auth)).json()["items"] == []


async def test_a_tampered_cookie_is_not_a_session(client: httpx.AsyncClient, ada: Person, grace: Person) -> None:
    await sign_in(client, ada)
    cookie = client.cookies[SESSION_COOKIE]
    _payload, _, stamp_and_signature = cookie.partition(".")
    other_user = "eyJ1IjoyLCJzIjoieCJ9"  # {"u":2,"s":"x"} under ada's timestamp and signature
    for value in (
        f"{other_user}.{stamp_and_signature}",
        cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"),
        "not-a-cookie",
    ):
        client.cookies.clear()
        client.cookies.set(SESSION_COOKIE, value)
        response = await client.get("/api/me")
        assert response.status_code == 401, value
        page = await client.get("/", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/sign-in"


async def test_errors_never_show_a_trace(
    client: httpx.AsyncClient, ada: Person, stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database password is hunter2")

    async def explode_async(*_args: object, **_kwargs: object) -> None:
        explode()

    service = stack.application.services["calendars"]
    monkeypatch.setattr(service.old, "list", explode)
    monkeypatch.setattr(service.new, "list", explode_async)
    response = await client.get("/api/calendars", headers=ada.auth)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "internal_error" and len(error["id"]) == 16 and error["id"] in error["message"]
    assert "hunter2" not in response.text and "Traceback" not in response.text


async def test_responses_carry_the_security_headers(client: httpx.AsyncClient, ada: Person) -> None:
    page = await client.get("/sign-in")
    for response in (await client.get("/api/me", headers=ada.auth), page, await client.get("/api/me")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert response.headers["cache-control"] == "no-store"
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
