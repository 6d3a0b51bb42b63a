"""No client can roll the migration back: at ``async``, bad input from one client, however much
of it, leaves the target where it is, while a fault of the new path that every client meets still
rolls it back. Through the strangler, with the Flask app or the FastAPI app serving, on both databases."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from admin_assistant.aio.repositories import calendars as aio_calendars
from admin_assistant.wiring.app import build
from admin_assistant.wiring.web import build_strangler
from compat import bridge
from compat.control.autorollback import AutoRollback
from compat.control.results import SqlSource
from compat.flags import FlagStore, Stage, load_flags

SECRET = "test-secret-key"
HUGE = 2**40  # ids from here make the planted new-path repository fail, as a driver refusing a value would
FLAGS = """\
version: 1
default: sync
targets:
  repositories: async
  web: {web}
gates:
  default:
    rollback_error_rate: 0.2
    rollback_window: 60
    rollback_min_runs: 10
"""


@pytest.fixture(autouse=True)
async def registered_loop() -> AsyncIterator[None]:
    bridge.register_loop()
    yield
    bridge.unregister_loop()


@pytest.fixture(params=["sync", "async"])
def web(request: pytest.FixtureRequest) -> str:
    """Which stack serves the web: the new repositories are reached from either."""
    return request.param


def planted_fault(monkeypatch: pytest.MonkeyPatch, *, everyone: bool) -> None:
    """The new path's calendar lookup fails: on huge ids only (bad input), or on every id (a real fault)."""
    real = aio_calendars.CalendarsRepository.get

    async def get(self, key, **filters):
        if everyone or key >= HUGE:
            raise OverflowError(f"{key} does not fit the column")
        return await real(self, key, **filters)

    monkeypatch.setattr(aio_calendars.CalendarsRepository, "get", get)


async def setup(clean_database, tmp_path: Path, web: str):
    path = tmp_path / "feature_flags.yaml"
    path.write_text(FLAGS.format(web=web))
    application = build(clean_database, store=FlagStore(path, poll_interval=0.01))
    user, token = await application.aio.users.create("ada@example.org", "Ada")
    calendar = await application.aio.calendars.create(user.id, "Work")
    strangler = build_strangler(application, secret=SECRET, scheduling=False)
    return path, application, strangler, {"Authorization": f"Bearer {token}"}, calendar.id


def client_at(strangler, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(strangler, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def watcher(path: Path, application) -> AutoRollback:
    return AutoRollback(FlagStore(path), SqlSource(application.database.sync_engine), meter=application.meter)


async def test_a_burst_of_bad_input_from_one_client_rolls_nothing_back(clean_database, tmp_path, monkeypatch, web):
    planted_fault(monkeypatch, everyone=False)
    path, application, strangler, signed_in, calendar = await setup(clean_database, tmp_path, web)
    async with client_at(strangler, "203.0.113.66") as attacker:
        answers = [(await attacker.get(f"/api/calendars/{HUGE + i}", headers=signed_in)).status_code for i in range(60)]
        answers += [(await attacker.get("/api/calendars/999999", headers=signed_in)).status_code for _ in range(20)]
    assert set(answers[60:]) == {404}  # a domain answer, not a failure
    for address in ("198.51.100.1", "198.51.100.2"):
        async with client_at(strangler, address) as honest:
            for _ in range(5):
                assert (await honest.get(f"/api/calendars/{calendar}", headers=signed_in)).status_code == 200
    figures = application.meter.figures("repositories", 60)
    assert figures.set_aside == "203.0.113.66" and figures.failures == 0
    assert watcher(path, application).check() == []
    assert load_flags(path).targets["repositories"] is Stage.ASYNC


async def test_a_fault_every_client_meets_at_async_still_rolls_back(clean_database, tmp_path, monkeypatch, web):
    planted_fault(monkeypatch, everyone=True)
    path, application, strangler, signed_in, calendar = await setup(clean_database, tmp_path, web)
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        async with client_at(strangler, address) as client:
            for _ in range(6):
                assert (await client.get(f"/api/calendars/{calendar}", headers=signed_in)).status_code == 500
    [done] = watcher(path, application).check()
    assert (done.before, done.after) == (Stage.ASYNC, Stage.LIVE)
    assert re.match(r"new path failed 12 of \d+ calls .*\(the 6 of client 198\.51\.100\.\d set aside\)", done.reason)
    assert load_flags(path).targets["repositories"] is Stage.LIVE
