"""Fuzzing both stacks against the API's OpenAPI document, on SQLite and PostgreSQL (issue 16).

Schemathesis generates requests, valid and invalid, for every operation from the document FastAPI writes (the Flask
stack answers the same routes, so it is held to the same document). The cases are generated once
(hypothesis, derandomized, so a run is reproducible) and sent to each app in process through
``httpx.ASGITransport`` on the tests' own loop (the async engines stay on the loop they belong to).
Each case goes once as generated and, when it names ids, once more with the ids of real rows, so
the 200s are exercised too. Every answer must be no 5xx, and match the document: status, content
type and body schema. ``MAX_EXAMPLES`` per operation keeps the whole file under two minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from web.conftest import Stack, make_stack
from web.harness import person

from admin_assistant.aio.web import create_app as create_fastapi_app
from compat.db import Database

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\nUID:fuzz@x\r\n"
    b"DTSTART:20250602T090000Z\r\nDTEND:20250602T100000Z\r\nSUMMARY:Fuzz\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)

_cases: list[Any] = []


def generated_cases() -> list[Any]:
    """``MAX_EXAMPLES`` valid and as many invalid cases per operation (the invalid ones break the
    document on purpose: they must be refused with a documented 4xx, never a 5xx), deletes last
    in each half (so the real rows live longest)."""
    if not _cases:
        document = create_fastapi_app(SimpleNamespace(aio=_NoServices()), secret="fuzz").openapi()
        schema = schemathesis.openapi.from_dict(document)
        operations = sorted((result.ok() for result in schema.get_all_operations()), key=lambda o: o.method == "delete")
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for operation in operations:
                _cases.extend(_examples(operation, mode))
    return _cases


def _examples(operation: Any, mode: Any) -> list[Any]:
    found: list[Any] = []

    @given(operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def collect(case: Any) -> None:
        found.append(case)

    collect()
    return found


class _NoServices:
    """The document needs the routes, not the services behind them."""

    def __getattr__(self, name: str) -> None:
        return None


@pytest.fixture(params=["flask", "fastapi"])
def fuzzed(request: pytest.FixtureRequest, clean_database: Database, tmp_path: Path) -> Stack:
    return make_stack(request.param, clean_database, tmp_path)


def with_real_ids(case: Any, ids: dict[str, int]) -> Iterator[Any]:
    """The case as generated and, when its path names ids of ours, again with those ids (the
    cases are shared by every stack: the generated ids are put back after)."""
    yield case
    generated = case.path_parameters
    names = set(generated or {}) & set(ids)
    if names:
        case.path_parameters = {**generated, **{name: ids[name] for name in names}}
        try:
            yield case
        finally:
            case.path_parameters = generated


async def test_every_answer_to_generated_requests_is_documented_and_no_server_error(fuzzed: Stack) -> None:
    cases = generated_cases()
    ada = await person(fuzzed.application, "ada@example.org", "Ada", "Europe/London")
    token = ada.token
    failures: list[str] = []
    sent = 0
    async with httpx.AsyncClient(transport=httpx.ASGITransport(fuzzed.app), base_url="http://testserver") as client:
        ids = await _real_rows(client, {"Authorization": f"Bearer {token}"})
        for generated in cases:
            for case in with_real_ids(generated, ids):
                kwargs = case.as_transport_kwargs(
                    base_url="http://testserver", headers={"Authorization": f"Bearer {token}"}
                )
                response = await _send(client, kwargs)
                sent += 1
                try:
                    case.validate_response(response, checks=CHECKS)
                except (Exception, BaseExceptionGroup) as exc:  # every failure is collected, then reported together
                    failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {str(exc)[:400]}")
                if case.path == "/api/me/token" and response.status_code == 200:
                    token = response.json()["token"]  # the old token stopped working
    print(f"\nfuzz {fuzzed.variant}: {sent} requests, {len(failures)} failures")
    assert not failures, f"{len(failures)} of {sent} answers broke the document:\n" + "\n".join(failures[:20])


async def _real_rows(client: httpx.AsyncClient, auth: dict[str, str]) -> dict[str, int]:
    """A calendar with an appointment, an archive calendar, a configuration and a run: their ids."""
    work = (await client.post("/api/calendars", json={"name": "Work"}, headers=auth)).json()["id"]
    archive = (await client.post("/api/calendars", json={"name": "Archive", "kind": "archive"}, headers=auth)).json()
    await client.post(f"/api/calendars/{work}/import", files={"file": ("a.ics", ICS, "text/calendar")}, headers=auth)
    appointment = (await client.get(f"/api/calendars/{work}/appointments", headers=auth)).json()["items"][0]["id"]
    body = {"name": "Nightly", "source_calendar_id": work, "archive_calendar_id": archive["id"]}
    configuration = (await client.post("/api/archive-configurations", json=body, headers=auth)).json()["id"]
    run = await client.post(
        f"/api/archive-configurations/{configuration}/runs", json={"date_range": "2025-06-02"}, headers=auth
    )
    return {
        "calendar_id": work,
        "appointment_id": appointment,
        "configuration_id": configuration,
        "run_id": run.json()["id"],
    }


async def _send(client: httpx.AsyncClient, kwargs: dict[str, Any]) -> httpx.Response:
    """A case's requests-style arguments, sent with httpx."""
    headers = dict(kwargs.get("headers") or {})
    cookies = kwargs.get("cookies") or {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    extra: dict[str, Any] = {}
    if "json" in kwargs:
        extra["json"] = kwargs["json"]
    if kwargs.get("files") is not None:
        extra["files"] = [(name, _file(value)) for name, value in kwargs["files"]]
    data = kwargs.get("data")
    if isinstance(data, (bytes, str)):
        extra["content"] = data
    elif data is not None:
        extra["data"] = data
    request = client.build_request(
        kwargs["method"], kwargs["url"], headers=headers, params=kwargs.get("params"), **extra
    )
    request.read()  # a multipart body is a stream: read, so the checks can see what was sent
    return await client.send(request)


def _file(value: Any) -> Any:
    """A multipart part as httpx takes it: requests also takes numbers and None, sent as text."""
    if isinstance(value, tuple):
        return (value[0], _file(value[1]), *value[2:])
    if isinstance(value, (bytes, str)) or hasattr(value, "read"):
        return value
    return b"" if value is None else str(value).encode()
