"""A database the migrations have not reached: every command, ``serve`` included, says so in one
line (or, on a SQLite file, brings it up to date), never half-creates the schema, and
``db upgrade`` always works after. Each way of running the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from support import postgres_database

from admin_assistant.wiring import database as db_wiring
from compat.db import Database

UNREACHABLE = "postgresql://postgres@127.0.0.1:1/nothing"  # port 1: nothing listens


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        with postgres_database() as url:
            yield url


def tables(url: str) -> set[str]:
    database = Database.from_url(url, db_wiring.SETTING)
    try:
        return set(inspect(database.sync_engine).get_table_names())
    finally:
        database.dispose()


def test_commands_before_db_upgrade_never_stop_it(cli_on, fresh_url):
    cli = cli_on(fresh_url)
    for command in ("jobs list", "users list"):
        result = cli(command)
        if fresh_url.startswith("sqlite"):  # a SQLite file brings itself up to date
            assert result.exit_code == 0, result.stderr
        else:
            assert result.exit_code == 1
            assert result.stderr.count("\n") == 1, result.stderr
            assert "behind" in result.stderr and "run 'admin-assistant db upgrade'" in result.stderr
            assert tables(fresh_url) == set(), "a command created tables at run time"
    upgraded = cli("db upgrade")
    assert upgraded.exit_code == 0, upgraded.stderr
    assert "up to date" in upgraded.stdout
    assert cli("jobs list").exit_code == 0


def test_serve_on_a_database_behind_is_one_line(cli_on):
    with postgres_database() as url:
        cli = cli_on(url)
        result = cli("serve --port 8123")
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and "admin-assistant db upgrade" in result.stderr
        assert tables(url) == set()


def test_serve_on_an_unreachable_database_is_one_line(cli_on):
    cli = cli_on(UNREACHABLE)
    result = cli("serve --port 8123")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "cannot connect to postgresql://postgres@127.0.0.1:1/nothing" in result.stderr


def test_a_sqlite_path_in_a_missing_folder_is_one_line_naming_it(cli_on, tmp_path):
    missing = tmp_path / "no" / "such"
    cli = cli_on(f"sqlite:///{missing / 'app.db'}")
    for command in ("users list", "db status", "serve --port 8123"):
        result = cli(command)
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and f"the folder {missing} does not exist" in result.stderr
    assert not missing.parent.exists()
