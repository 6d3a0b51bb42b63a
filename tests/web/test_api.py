"""The JSON API, the same on every way of serving it (see conftest): resources, paging, iCalendar."""

from __future__ import annotations

import datetime as dt

import httpx
from web.harness import Person

ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:standup-1@example.org
DTSTART:20250602T090000Z
DTEND:20250602T093000Z
SUMMARY:Stand-up
END:VEVENT
BEGIN:VEVENT
UID:review-1@example.org
DTSTART:20250603T140000Z
DTEND:20250603T150000Z
SUMMARY:Review
LOCATION:Room 4
END:VEVENT
END:VCALENDAR
"""


def at(day: int, hour: int = 9) -> str:
    return dt.datetime(2025, 6, day, hour, tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")


async def calendar(client: httpx.AsyncClient, who: Person, name: str = "Work", kind: str = "source") -> dict:
    response = await client.post("/api/calendars", json={"name": name, "kind": kind}, headers=who.auth)
    assert response.status_code == 201, response.text
    return response.json()


async def appointment(
    client: httpx.AsyncClient, who: Person, calendar_id: int, day: int, subject: str = "Meeting", hours: int = 1
) -> dict:
    body = {"start": at(day), "end": at(day, 9 + hours), "subject": subject}
    response = await client.post(f"/api/calendars/{calendar_id}/appointments", json=body, headers=who.auth)
    assert response.status_code == 201, response.text
    return response.json()


async def test_me_is_the_token_owner(client: httpx.AsyncClient, ada: Person) -> None:
    response = await client.get("/api/me", headers=ada.auth)
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "ada@example.org" and body["timezone"] == "Europe/London"
    assert set(body) == {"id", "email", "display_name", "timezone", "created_at"}


async def test_rotated_token_replaces_the_old_one(client: httpx.AsyncClient, ada: Person) -> None:
    response = await client.post("/api/me/token", headers=ada.auth)
    assert response.status_code == 200
    new = response.json()["token"]
    assert (await client.get("/api/me", headers=ada.auth)).status_code == 401
    assert (await client.get("/api/me", headers={"Authorization": f"Bearer {new}"})).status_code == 200


async def test_calendars_are_created_listed_read_and_deleted(client: httpx.AsyncClient, ada: Person) -> None:
    work = await calendar(client, ada, "Work")
    await calendar(client, ada, "Archive", kind="archive")
    listed = (await client.get("/api/calendars", headers=ada.auth)).json()
    assert [c["name"] for c in listed["items"]] == ["Work", "Archive"]
    assert listed["next_offset"] is None
    only_archives = (await client.get("/api/calendars?kind=archive", headers=ada.auth)).json()
    assert [c["name"] for c in only_archives["items"]] == ["Archive"]
    assert (await client.get(f"/api/calendars/{work['id']}", headers=ada.auth)).json() == work
    deleted = await client.delete(f"/api/calendars/{work['id']}", headers=ada.auth)
    assert deleted.status_code == 204 and deleted.content == b""
    assert (await client.get(f"/api/calendars/{work['id']}", headers=ada.auth)).status_code == 404


async def test_a_second_calendar_with_the_same_name_conflicts(client: httpx.AsyncClient, ada: Person) -> None:
    await calendar(client, ada, "Work")
    response = await client.post("/api/calendars", json={"name": "Work"}, headers=ada.auth)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


async def test_appointments_are_listed_by_date_range_in_pages(client: httpx.AsyncClient, ada: Person) -> None:
    work = await calendar(client, ada)
    for day in (2, 3, 4, 5, 9):
        await appointment(client, ada, work["id"], day, f"Day {day}")
    url = f"/api/calendars/{work['id']}/appointments"
    first = (await client.get(url, params={"start": at(3, 0), "end": at(6, 0), "limit": 2}, headers=ada.auth)).json()
    assert [a["subject"] for a in first["items"]] == ["Day 3", "Day 4"]
    assert first["next_offset"] == 2
    second = (
        await client.get(url, params={"start": at(3, 0), "end": at(6, 0), "limit": 2, "offset": 2}, headers=ada.auth)
    ).json()
    assert [a["subject"] for a in second["items"]] == ["Day 5"]
    assert second["next_offset"] is None
    everything = (await client.get(url, headers=ada.auth)).json()
    assert len(everything["items"]) == 5


async def test_an_appointment_is_read_changed_and_deleted(client: httpx.AsyncClient, ada: Person) -> None:
    work = await calendar(client, ada)
    made = await appointment(client, ada, work["id"], 2, "Draft")
    assert made["start"] == "2025-06-02T09:00:00Z" and made["show_as"] == "busy" and made["archived"] is False
    url = f"/api/appointments/{made['id']}"
    assert (await client.get(url, headers=ada.auth)).json()["subject"] == "Draft"
    changed = await client.patch(url, json={"subject": "Final", "location": "Room 1"}, headers=ada.auth)
    assert changed.status_code == 200
    assert (changed.json()["subject"], changed.json()["location"], changed.json()["start"]) == (
        "Final",
        "Room 1",
        made["start"],
    )
    assert (await client.delete(url, headers=ada.auth)).status_code == 204
    assert (await client.get(url, headers=ada.auth)).status_code == 404


async def test_an_appointment_that_ends_before_it_starts_is_invalid(client: httpx.AsyncClient, ada: Person) -> None:
    work = await calendar(client, ada)
    body = {"start": at(2, 10), "end": at(2, 9)}
    response = await client.post(f"/api/calendars/{work['id']}/appointments", json=body, headers=ada.auth)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


async def test_a_patch_setting_a_required_field_to_null_is_422(client: httpx.AsyncClient, ada: Person) -> None:
    work = await calendar(client, ada)
    body = {"start": at(2, 9), "end": at(2, 10), "categories": ["a"]}
    made = await client.post(f"/api/calendars/{work['id']}/appointments", json=body, headers=ada.auth)
    url = f"/api/appointments/{made.json()['id']}"
    for field in ("categories", "subject", "start"):
        response = await client.patch(url, json={field: None}, headers=ada.auth)
        assert response.status_code == 422 and field in response.json()["error"]["message"], field
    cleared = await client.patch(url, json={"recurrence_rule": None}, headers=ada.auth)
    assert cleared.status_code == 200
    assert (await client.get(url, headers=ada.auth)).json()["categories"] == ["a"]


async def test_bodies_and_queries_that_do_not_validate_are_422(client: httpx.AsyncClient, ada: Person) -> None:
    work = await calendar(client, ada)
    url = f"/api/calendars/{work['id']}/appointments"
    naive = await client.post(
        url, json={"start": "2025-06-02T09:00:00", "end": "2025-06-02T10:00:00"}, headers=ada.auth
    )
    assert naive.status_code == 422 and "start" in naive.json()["error"]["message"]
    unknown = await client.post("/api/calendars", json={"name": "X", "colour": "red"}, headers=ada.auth)
    assert unknown.status_code == 422
    too_many = await client.get(url, params={"limit": 5000}, headers=ada.auth)
    assert too_many.status_code == 422 and "limit" in too_many.json()["error"]["message"]


async def test_malformed_json_is_a_400(client: httpx.AsyncClient, ada: Person) -> None:
    response = await client.post(
        "/api/calendars", content=b'{"name": "Work",', headers={**ada.auth, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {"status": 400, "code": "malformed_json", "message": "the request body is not valid JSON", "id": None}
    }


async def test_icalendar_files_are_imported_once_and_exported(client: httpx.AsyncClient, ada: Person) -> None:
    work = await calendar(client, ada)
    upload = {"file": ("work.ics", ICS, "text/calendar")}
    first = await client.post(f"/api/calendars/{work['id']}/import", files=upload, headers=ada.auth)
    assert first.status_code == 200, first.text
    assert first.json() == {"added": 2, "updated": 0, "skipped": 0, "rejected": 0}
    again = await client.post(f"/api/calendars/{work['id']}/import", files=upload, headers=ada.auth)
    assert again.json()["added"] == 0
    exported = await client.get(f"/api/calendars/{work['id']}/export", headers=ada.auth)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:Stand-up" in exported.text and "SUMMARY:Review" in exported.text
    window = await client.get(
        f"/api/calendars/{work['id']}/export", params={"start": at(3, 0), "end": at(4, 0)}, headers=ada.auth
    )
    assert "SUMMARY:Review" in window.text and "Stand-up" not in window.text


async def test_an_import_without_a_file_is_invalid(client: httpx.AsyncClient, ada: Person) -> None:
    work = await calendar(client, ada)
    response = await client.post(f"/api/calendars/{work['id']}/import", files={"other": ("x", b"x")}, headers=ada.auth)
    assert response.status_code == 422


async def test_archive_configurations_are_managed(client: httpx.AsyncClient, ada: Person) -> None:
    source, archive = await calendar(client, ada, "Work"), await calendar(client, ada, "Archive", "archive")
    body = {"name": "Daily", "source_calendar_id": source["id"], "archive_calendar_id": archive["id"]}
    made = await client.post("/api/archive-configurations", json=body, headers=ada.auth)
    assert made.status_code == 201, made.text
    config = made.json()
    assert (config["timezone"], config["schedule"], config["active"]) == ("Europe/London", "23:00", True)
    url = f"/api/archive-configurations/{config['id']}"
    assert (await client.post(f"{url}/deactivate", headers=ada.auth)).json()["active"] is False
    paused = (await client.get("/api/archive-configurations?active=false", headers=ada.auth)).json()
    assert [c["id"] for c in paused["items"]] == [config["id"]]
    assert (await client.post(f"{url}/activate", headers=ada.auth)).json()["active"] is True
    assert (await client.get(url, headers=ada.auth)).json()["active"] is True
    assert (await client.delete(url, headers=ada.auth)).status_code == 204
    assert (await client.get(url, headers=ada.auth)).status_code == 404


async def test_a_configuration_needs_two_calendars(client: httpx.AsyncClient, ada: Person) -> None:
    source = await calendar(client, ada)
    body = {"name": "Self", "source_calendar_id": source["id"], "archive_calendar_id": source["id"]}
    assert (await client.post("/api/archive-configurations", json=body, headers=ada.auth)).status_code == 422


async def test_archive_runs_copy_once_and_report_their_counts(client: httpx.AsyncClient, ada: Person) -> None:
    source, archive = await calendar(client, ada, "Work"), await calendar(client, ada, "Archive", "archive")
    for day in (2, 3):
        await appointment(client, ada, source["id"], day)
    await appointment(client, ada, source["id"], 3, "Overlapping", hours=2)
    body = {
        "name": "Daily",
        "source_calendar_id": source["id"],
        "archive_calendar_id": archive["id"],
        "timezone": "UTC",
    }
    config = (await client.post("/api/archive-configurations", json=body, headers=ada.auth)).json()
    url = f"/api/archive-configurations/{config['id']}/runs"
    first = await client.post(url, json={"date_range": "2025-06-01 to 2025-06-07"}, headers=ada.auth)
    assert first.status_code == 201, first.text
    run = first.json()
    assert (run["status"], run["copied"], run["skipped"], run["overlaps"]) == ("succeeded", 3, 0, 2)
    assert (run["range_start"], run["range_end"]) == ("2025-06-01", "2025-06-07")
    second = (await client.post(url, json={"date_range": "2025-06-01 to 2025-06-07"}, headers=ada.auth)).json()
    assert (second["copied"], second["skipped"]) == (0, 3)
    replaced = (
        await client.post(url, json={"date_range": "2025-06-01 to 2025-06-07", "replace": True}, headers=ada.auth)
    ).json()
    assert (replaced["removed"], replaced["copied"]) == (3, 3)
    runs = (await client.get("/api/archive-runs", params={"configuration_id": config["id"]}, headers=ada.auth)).json()
    assert [r["id"] for r in runs["items"]] == [replaced["id"], second["id"], run["id"]]
    assert (await client.get(f"/api/archive-runs/{run['id']}", headers=ada.auth)).json() == run
    archived = (await client.get(f"/api/calendars/{archive['id']}/appointments", headers=ada.auth)).json()["items"]
    assert len(archived) == 3 and all(a["archived"] for a in archived)


async def test_a_date_range_that_does_not_parse_is_invalid(client: httpx.AsyncClient, ada: Person) -> None:
    source, archive = await calendar(client, ada, "Work"), await calendar(client, ada, "Archive", "archive")
    body = {"name": "Daily", "source_calendar_id": source["id"], "archive_calendar_id": archive["id"]}
    config = (await client.post("/api/archive-configurations", json=body, headers=ada.auth)).json()
    response = await client.post(
        f"/api/archive-configurations/{config['id']}/runs", json={"date_range": "someday"}, headers=ada.auth
    )
    assert response.status_code == 422
    assert "accepted forms" in response.json()["error"]["message"]


async def test_unknown_paths_and_methods_answer_in_the_error_shape(client: httpx.AsyncClient, ada: Person) -> None:
    missing = await client.get("/api/nothing-here", headers=ada.auth)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    not_a_number = await client.get("/api/calendars/abc", headers=ada.auth)
    assert not_a_number.status_code == 404
    wrong_method = await client.put("/api/calendars", headers=ada.auth)
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]["code"] == "method_not_allowed"


async def test_head_answers_as_get_without_a_body(client: httpx.AsyncClient, ada: Person) -> None:
    get = await client.get("/api/me", headers=ada.auth)
    head = await client.head("/api/me", headers=ada.auth)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]
    assert (await client.head("/api/me")).status_code == 401
    assert (await client.head("/api/nothing-here", headers=ada.auth)).status_code == 404
