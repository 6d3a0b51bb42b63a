"""``--json`` is the same on both stacks: the Typer app and the AsyncClick app print the same bytes."""

from __future__ import annotations

import json

import pytest

READS = [
    "users list --json",
    "calendars list --json --user me@example.com",
    "appointments list -c Work --json --user me@example.com",
    "config archive list --json --user me@example.com",
    "config archive show Nightly --json --user me@example.com",
    "jobs list --json",
]


@pytest.fixture
def both(other_way):
    """The Typer way and the AsyncClick way over one database."""
    return other_way("typer"), other_way("asyncclick")


@pytest.mark.parametrize("way", ["typer"], indirect=True)
def test_reads_print_the_same_bytes(both, world):
    old, new = both
    old("archive run Nightly --date 2-6-2025 --user me@example.com")
    old("jobs schedule")
    for command in READS:
        printed_old, printed_new = old(command), new(command)
        assert printed_old.exit_code == printed_new.exit_code == 0, command
        assert printed_old.stdout == printed_new.stdout, command
        json.loads(printed_old.stdout)


@pytest.mark.parametrize("way", ["typer"], indirect=True)
def test_writes_print_the_same_fields_in_the_same_order(both, world):
    old, new = both
    varying = {"id", "created_at", "api_token", "started_at", "finished_at", "name", "email"}
    pairs = [
        ("users create a@example.com --json", "users create b@example.com --json"),
        ("calendars create A --json --user me@example.com", "calendars create B --json --user me@example.com"),
        (
            "config archive create A --source Work --archive 'Work archive' --json --user me@example.com",
            "config archive create B --source Work --archive 'Work archive' --json --user me@example.com",
        ),
        (
            "archive run Nightly --date 2-6-2025 --json --user me@example.com",
            "archive run Nightly --date 2-6-2025 --replace --yes --json --user me@example.com",
        ),
    ]
    for command_old, command_new in pairs:
        a, b = json.loads(old(command_old).stdout), json.loads(new(command_new).stdout)
        assert list(a) == list(b), command_old
        same = {k: v for k, v in a.items() if k not in varying | {"replace", "removed", "copied", "skipped"}}
        assert same == {k: v for k, v in b.items() if k in same}, command_old
