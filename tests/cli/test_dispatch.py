"""The ``admin-assistant`` dispatcher: which app serves, what is compared, what runs once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from admin_assistant.wiring.cli import dispatcher
from compat.flags import FlagStore

BOTH_STAGES = pytest.mark.parametrize("way", ["dispatch-shadow", "dispatch-live"], indirect=True)
ONE_SIDE = pytest.mark.parametrize("way", ["dispatch-sync", "dispatch-async"], indirect=True)


@BOTH_STAGES
def test_reads_run_on_both_apps_and_are_recorded(cli, world):
    result = cli("calendars list --json --user me@example.com")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 2
    [comparison] = cli.recorder.comparisons
    assert (comparison.target, comparison.method, comparison.status) == (
        "cli.calendars.list",
        "calendars list",
        "match",
    )
    assert comparison.served == ("new" if cli.way == "dispatch-live" else "old")


@BOTH_STAGES
def test_errors_of_reads_are_compared_too(cli, world):
    result = cli("config archive show Nope --user me@example.com")
    assert result.exit_code == 1
    [comparison] = cli.recorder.comparisons
    assert comparison.status == "match"


@BOTH_STAGES
def test_writes_run_once_and_are_not_compared(cli, world, app):
    assert cli("calendars create Home --user me@example.com").exit_code == 0
    assert [c.name for c in app.calendars.list(world.user_id)].count("Home") == 1
    assert cli.recorder.comparisons == []


@BOTH_STAGES
def test_export_to_a_file_is_not_repeated(cli, world, tmp_path: Path):
    target = tmp_path / "out.ics"
    assert cli(f"appointments export -c Work -o {target} --user me@example.com").exit_code == 0
    assert target.read_text().startswith("BEGIN:VCALENDAR")
    assert cli.recorder.comparisons == []


@BOTH_STAGES
def test_help_is_served_only(cli):
    assert cli("users list --help").exit_code == 0
    assert cli.recorder.comparisons == []


@ONE_SIDE
def test_single_stages_compare_nothing(cli, world):
    assert cli("users list --json").exit_code == 0
    assert cli.recorder.comparisons == []


def _store(tmp_path: Path, text: str) -> FlagStore:
    path = tmp_path / "flags.yaml"
    path.write_text("version: 1\n" + text)
    return FlagStore(path)


def test_the_most_specific_cli_target_wins(tmp_path):
    run = dispatcher(
        store=_store(
            tmp_path, "default: sync\ntargets:\n  cli: sync\n  cli.archive: async\n  cli.config.archive.list: live\n"
        )
    )
    assert run.target(["archive", "run", "Nightly", "--date", "today"]) == "cli.archive.run"
    assert run.stage(["archive", "run", "users"]).value == "async"
    assert run.stage(["users", "list"]).value == "sync"
    assert run.stage(["config", "archive", "list", "--json"]).value == "live"
    assert run.stage(["--help"]).value == "sync"


def test_rollback_sends_every_command_to_the_old_app(tmp_path):
    run = dispatcher(store=_store(tmp_path, "rollback: true\ndefault: async\n"))
    assert run.stage(["archive", "run", "x"]).value == "sync"
