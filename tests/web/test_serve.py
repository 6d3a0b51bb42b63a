"""First run: demo data once, and a banner that says where to sign in and with what."""

from __future__ import annotations

from pathlib import Path

from admin_assistant.sync.services import Services, units_of
from admin_assistant.wiring.demo import ensure_demo_data, read_credentials
from admin_assistant.wiring.serve import banner
from compat.db import Database


def test_an_empty_database_gets_demo_data_once(clean_database: Database, tmp_path: Path) -> None:
    credentials = tmp_path / "demo.txt"
    made = ensure_demo_data(clean_database, credentials)
    assert made is not None and [u.email for u in made] == ["ada@example.org", "grace@example.org"]
    assert ensure_demo_data(clean_database, credentials) is None
    assert read_credentials(credentials) == made
    assert credentials.stat().st_mode & 0o777 == 0o600
    services = Services.on(units_of(clean_database))
    ada = services.users.authenticate_token(made[0].token)
    calendars = services.calendars.list(ada.id)
    assert [c.name for c in calendars] == ["Work", "Personal", "Work archive"]
    assert services.appointments.count(ada.id, calendars[0].id) >= 8
    [run] = services.archive.runs(ada.id)
    assert run.status.value == "succeeded"
    assert len(services.archive_configurations.list(ada.id)) == 1


def test_the_banner_says_where_to_sign_in_and_shows_the_tokens(clean_database: Database, tmp_path: Path) -> None:
    made = ensure_demo_data(clean_database, tmp_path / "demo.txt")
    text = banner("127.0.0.1", 8000, made)
    assert "http://localhost:8000/sign-in" in text
    assert made is not None and all(u.token in text for u in made)
