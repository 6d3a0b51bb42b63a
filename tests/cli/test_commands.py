"""Every command of ``admin-assistant``, the same expectations whichever way it is run
(Typer app, AsyncClick app, dispatcher at each stage) and on either database."""

from __future__ import annotations

import json
from pathlib import Path

ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//tests//cli//EN
BEGIN:VEVENT
UID:planning-1@tests
DTSTART:20250603T080000Z
DTEND:20250603T090000Z
SUMMARY:Planning
END:VEVENT
BEGIN:VEVENT
UID:retro-1@tests
DTSTART:20250604T130000Z
DTEND:20250604T140000Z
SUMMARY:Retro
END:VEVENT
END:VCALENDAR
"""


def test_users_create_prints_the_token_once(cli):
    created = cli("users create ana@example.com --name Ana --timezone Europe/Madrid --json")
    assert created.exit_code == 0, created.stderr
    record = json.loads(created.stdout)
    assert record["email"] == "ana@example.com" and record["timezone"] == "Europe/Madrid"
    assert record["api_token"].startswith("aa_")
    listed = cli("users list --json")
    assert [u["email"] for u in json.loads(listed.stdout)] == ["ana@example.com"]
    assert "api_token" not in listed.stdout and record["api_token"] not in cli("users list").stdout


def test_users_create_says_to_keep_the_token(cli):
    created = cli("users create ana@example.com")
    assert created.exit_code == 0
    assert "api_token:" in created.stdout and "not shown again" in created.stdout


def test_duplicate_user_is_one_line_and_exit_1(cli, world):
    result = cli("users create me@example.com")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "already exists" in result.stderr


def test_calendars_create_and_list_as_a_table(cli, world):
    created = cli(f"calendars create Home --user {world.email}")
    assert created.exit_code == 0 and "name:         Home" in created.stdout
    table = cli(f"calendars list --user {world.email}").stdout.splitlines()
    assert table[0].split() == ["ID", "NAME", "KIND", "SOURCE", "URI"]
    assert [line.split()[1] for line in table[1:]] == ["Work", "Work", "Home"]


def test_calendars_list_by_kind_as_json(cli, world):
    result = cli(f"calendars list --kind archive --json --user {world.email}")
    assert [(c["name"], c["kind"]) for c in json.loads(result.stdout)] == [("Work archive", "archive")]


def test_user_comes_from_the_environment(cli, world, monkeypatch):
    monkeypatch.setenv("ADMIN_ASSISTANT_USER", world.email)
    assert len(json.loads(cli("calendars list --json").stdout)) == 2


def test_missing_user_is_a_usage_error(cli, world):
    result = cli("calendars list")
    assert result.exit_code == 2
    assert "Missing option" in result.stderr and "--user" in result.stderr


def test_unknown_user_is_one_line_and_exit_1(cli, world):
    result = cli("calendars list --user nobody@example.com")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "Error: no user with email 'nobody@example.com'; create one with 'admin-assistant users create EMAIL'\n"
    )


def test_appointments_add_reads_times_in_the_users_timezone(cli, world):
    added = cli(
        [
            "appointments",
            "add",
            "-c",
            "Work",
            "--start",
            "2025-06-05 10:00",
            "--end",
            "2025-06-05 10:30",
            "--subject",
            "1:1",
            "--category",
            "people",
            "--category",
            "weekly",
            "--json",
            "--user",
            world.email,
        ]
    )
    assert added.exit_code == 0, added.stderr
    record = json.loads(added.stdout)
    assert (record["start"], record["end"]) == ("2025-06-05T09:00:00+00:00", "2025-06-05T09:30:00+00:00")
    assert record["categories"] == ["people", "weekly"]


def test_appointments_list_shows_local_times_and_filters_by_date(cli, world):
    table = cli(f"appointments list -c Work --user {world.email}").stdout.splitlines()
    assert table[0].split()[:3] == ["ID", "START", "END"]
    assert ["2025-06-02 09:00", "2025-06-02 14:00"] == [" ".join(line.split()[1:3]) for line in table[1:]]
    none = cli(f"appointments list -c {world.work} --date 3-6-2025 --json --user {world.email}")
    assert json.loads(none.stdout) == []


def test_bad_datetime_is_a_usage_error(cli, world):
    result = cli(f"appointments add -c Work --start tomorrow --end later --user {world.email}")
    assert result.exit_code == 2 and "--start" in result.stderr


def test_import_then_export_round_trip(cli, world, tmp_path: Path):
    source = tmp_path / "meetings.ics"
    source.write_text(ICS)
    first = cli(f"appointments import {source} --calendar Work --json --user {world.email}")
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout) == {"added": 2, "updated": 0, "skipped": 0, "rejected": 0}
    again = cli(f"appointments import {source} --calendar Work --user {world.email}")
    assert again.stdout == "imported meetings.ics: added 0, updated 0, unchanged 2, rejected 0\n"
    exported = cli(f"appointments export -c Work --date '3-6-2025 to 4-6-2025' --user {world.email}")
    assert exported.exit_code == 0
    assert "UID:planning-1@tests" in exported.stdout and "SUMMARY:Standup" not in exported.stdout


def test_import_of_a_missing_file_is_a_usage_error(cli, world, tmp_path: Path):
    result = cli(f"appointments import {tmp_path / 'nope.ics'} -c Work --user {world.email}")
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_config_archive_lifecycle(cli, world):
    created = cli(
        "config archive create Weekly --source Work --archive 'Work archive' --at 07:15 --timezone UTC --inactive "
        f"--json --user {world.email}"
    )
    assert created.exit_code == 0, created.stderr
    record = json.loads(created.stdout)
    assert (record["schedule"], record["timezone"], record["active"]) == ("07:15", "UTC", False)
    listed = cli(f"config archive list --json --user {world.email}")
    assert [(c["name"], c["active"]) for c in json.loads(listed.stdout)] == [("Nightly", True), ("Weekly", False)]
    assert (
        cli(f"config archive activate Weekly --user {world.email}").stdout
        == "archive configuration 'Weekly' is active: daily at 07:15 UTC\n"
    )
    assert (
        json.loads(cli(f"config archive deactivate {record['id']} --json --user {world.email}").stdout)["active"]
        is False
    )
    assert (
        cli(f"config archive delete Weekly --yes --user {world.email}").stdout
        == "deleted archive configuration 'Weekly'\n"
    )
    assert len(json.loads(cli(f"config archive list --json --user {world.email}").stdout)) == 1


def test_config_archive_delete_asks_first(cli, world):
    refused = cli(f"config archive delete Nightly --user {world.email}", input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.stderr
    assert cli(f"config archive show Nightly --user {world.email}").exit_code == 0


def test_archive_run_copies_once(cli, world):
    first = cli(f"archive run Nightly --date 2-6-2025 --json --user {world.email}")
    assert first.exit_code == 0, first.stderr
    run = json.loads(first.stdout)
    assert (run["status"], run["copied"], run["skipped"], run["range_start"]) == ("succeeded", 2, 0, "2025-06-02")
    second = cli(f"archive run Nightly --date 2-6-2025 --user {world.email}")
    assert second.stdout.endswith("succeeded; copied 0, already archived 2, overlaps 0\n")
    shown = json.loads(cli(f"config archive show Nightly --json --user {world.email}").stdout)
    assert [r["copied"] for r in shown["recent_runs"]] == [0, 2]


def test_archive_replace_asks_unless_yes(cli, world):
    cli(f"archive run Nightly --date 2-6-2025 --user {world.email}")
    refused = cli(f"archive run Nightly --date 2-6-2025 --replace --user {world.email}", input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.stderr
    confirmed = cli(f"archive run Nightly --date 2-6-2025 --replace --json --user {world.email}", input="y\n")
    assert confirmed.exit_code == 0, confirmed.stderr
    assert "Remove what earlier runs archived from 2025-06-02 to 2025-06-02" in confirmed.stdout
    forced = cli(f"archive run Nightly --date 2-6-2025 --replace --yes --json --user {world.email}")
    run = json.loads(forced.stdout)
    assert (run["removed"], run["copied"]) == (2, 2)


def test_archive_run_of_an_unknown_configuration(cli, world):
    result = cli(f"archive run Nope --date yesterday --user {world.email}")
    assert (result.exit_code, result.stderr) == (1, "Error: archive configuration 'Nope' not found\n")


def test_archive_run_needs_a_date(cli, world):
    result = cli(f"archive run Nightly --user {world.email}")
    assert result.exit_code == 2 and "--date" in result.stderr


def test_bad_date_range_is_a_usage_error(cli, world):
    result = cli(f"archive run Nightly --date someday --user {world.email}")
    assert result.exit_code == 2
    assert "Invalid value for '--date'" in result.stderr and "yesterday" in result.stderr


def test_jobs_schedule_list_run_now_remove(cli, world):
    assert json.loads(cli("jobs list --json").stdout) == []
    scheduled = json.loads(cli("jobs schedule --json").stdout)
    assert scheduled == {"added": [f"archive-daily:{world.config}"], "removed": [], "kept": []}
    [job] = json.loads(cli("jobs list --json").stdout)
    assert (job["schedule"], job["last_run"]) == ("daily 23:30 Europe/London", None)
    ran = cli(f"jobs run-now archive-daily:{world.config} --json")
    assert ran.exit_code == 0, ran.stderr
    assert json.loads(ran.stdout)["status"] == "succeeded"
    assert json.loads(cli("jobs list --json").stdout)[0]["last_run"]["status"] == "succeeded"
    assert cli(f"jobs remove archive-daily:{world.config}").stdout == f"removed job archive-daily:{world.config}\n"
    missing = cli(f"jobs remove archive-daily:{world.config}")
    assert (missing.exit_code, missing.stderr) == (1, f"Error: no scheduled job 'archive-daily:{world.config}'\n")


def test_db_status(cli):
    result = cli("db status")
    assert result.exit_code == 0 and "up to date" in result.stdout


def test_root_help_walks_a_new_user_to_an_archive(cli):
    result = cli("--help")
    assert result.exit_code == 0
    for step in ("users create", "calendars create", "config archive create", "archive run", "serve"):
        assert f"admin-assistant {step}" in result.stdout
    for group in ("users", "calendars", "appointments", "config", "archive", "jobs", "db", "serve"):
        assert f"\n  {group} " in result.stdout


def test_every_command_has_help(cli):
    for command in (
        "users create",
        "users list",
        "calendars create",
        "calendars list",
        "appointments add",
        "appointments list",
        "appointments import",
        "appointments export",
        "config archive create",
        "config archive list",
        "config archive show",
        "config archive activate",
        "config archive deactivate",
        "config archive delete",
        "archive run",
        "jobs list",
        "jobs schedule",
        "jobs run-now",
        "jobs remove",
        "db upgrade",
        "db status",
        "serve",
    ):
        result = cli(f"{command} --help")
        assert result.exit_code == 0, command
        assert result.stdout.startswith(f"Usage: admin-assistant {command} "), result.stdout[:80]


def test_a_group_without_a_command_shows_its_help(cli):
    result = cli("config archive")
    # Click 8.2+ and Typer's own Click alike: a group called bare is a usage error, its help on stderr
    assert (result.exit_code, result.stdout) == (2, ""), result
    assert result.stderr == cli("config archive --help").stdout
    assert "create" in result.stderr and "activate" in result.stderr


def test_serve_hands_over_to_the_web_server_outside_any_event_loop(cli, monkeypatch):
    import asyncio

    import admin_assistant.wiring.serve as web_serve

    started = []

    def fake_serve(host, port, workers):
        try:
            asyncio.get_running_loop()
            started.append("inside a loop")
        except RuntimeError:
            started.append((host, port, workers))

    monkeypatch.setattr(web_serve, "serve", fake_serve)
    result = cli("serve --host 0.0.0.0 --port 8123 --workers 2")
    assert result.exit_code == 0, result.stderr
    assert started == [("0.0.0.0", 8123, 2)]


def test_serve_refuses_a_bad_port(cli):
    assert cli("serve --port 0").exit_code == 2


def test_archive_run_over_the_whole_calendar_is_a_usage_error(cli, world):
    result = cli(f"archive run Nightly --date '0001-01-01 to 9999-12-31' --user {world.email}")
    assert result.exit_code == 2
    assert "'--date': date range 0001-01-01..9999-12-31 must lie between 1900-01-01 and 2999-12-31" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_of_an_endless_series_is_one_line_and_exit_1(cli, world, tmp_path: Path):
    source = tmp_path / "endless.ics"
    event = "UID:endless@x\nDTSTART:20250602T090000Z\nDURATION:PT10M\nRRULE:FREQ=MINUTELY\nSUMMARY:Boom"
    source.write_text(
        f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\n{event}\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    result = cli(f"appointments import {source} --calendar Work --user {world.email}")
    assert result.exit_code == 1
    assert "'endless@x' has more than 5,000 occurrences" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
