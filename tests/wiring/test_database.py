"""The application's database: migrations on both databases, upgrade on first use, the URL setting."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from support import postgres_database

from admin_assistant.wiring import database as db_wiring
from compat.db import Database, DatabaseConfigError
from compat.jobs import JobRegistry, Scheduler

TABLES = {
    "users",
    "calendars",
    "appointments",
    "archive_configurations",
    "archive_runs",
    "shadow_results",
    "job_runs",
    "apscheduler_jobs",
    "shadow_noise",
    "shadow_inputs",
}
FLEET_TABLES = {"asyncshift_flags"}  # PostgreSQL only: the fleet's LISTEN/NOTIFY needs it


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        with postgres_database() as url:
            yield url


def test_upgrade_then_downgrade_runs_clean(empty_url):
    database = Database.from_url(empty_url, db_wiring.SETTING)
    db_wiring.upgrade(database)
    expected = TABLES | (FLEET_TABLES if database.backend == "postgresql" else set())
    assert expected <= set(inspect(database.sync_engine).get_table_names())
    assert db_wiring.schema_status(database).up_to_date
    db_wiring.downgrade(database)
    assert not (TABLES | FLEET_TABLES) & set(inspect(database.sync_engine).get_table_names())
    database.dispose()


def test_migrations_match_the_models(empty_url):
    database = Database.from_url(empty_url, db_wiring.SETTING)
    db_wiring.upgrade(database)
    with database.sync_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, db_wiring.schema_metadata(database.backend))
    database.dispose()
    assert differences == []


def test_alembic_command_line_upgrades_and_downgrades(empty_url):
    env = {"ADMIN_ASSISTANT_DATABASE_URL": empty_url, "PATH": "/usr/bin:/bin"}
    for verb in (["upgrade", "head"], ["downgrade", "base"]):
        done = subprocess.run(
            [sys.executable, "-m", "alembic", *verb],
            env=env,
            capture_output=True,
            text=True,
            cwd=db_wiring.migrations_dir().parent,
        )
        assert done.returncode == 0, done.stderr


def test_sqlite_file_is_created_and_upgraded_on_first_use(tmp_path):
    path = tmp_path / "app.db"
    database = db_wiring.open_database(f"sqlite:///{path}")
    assert path.exists()
    assert db_wiring.schema_status(database).up_to_date
    database.dispose()


def test_the_default_file_is_created_with_its_folders(tmp_path, monkeypatch):
    monkeypatch.delenv(db_wiring.SETTING, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "deep" / "data"))
    database = db_wiring.open_database()
    assert (tmp_path / "deep" / "data" / "admin-assistant" / "admin-assistant.db").exists()
    assert db_wiring.schema_status(database).up_to_date
    database.dispose()


def test_a_configured_sqlite_file_in_a_missing_folder_is_one_line_naming_it(tmp_path):
    missing = tmp_path / "deep" / "dir"
    with pytest.raises(DatabaseConfigError, match=f"^{db_wiring.SETTING}=.*the folder {missing} does not exist"):
        db_wiring.open_database(f"sqlite:///{missing / 'app.db'}")
    assert not missing.parent.exists()


def test_a_database_behind_is_one_line_saying_db_upgrade(empty_url):
    database = Database.from_url(empty_url, db_wiring.SETTING)
    with pytest.raises(db_wiring.SchemaBehind, match=r"behind \(no schema yet.*run 'admin-assistant db upgrade'$"):
        db_wiring.require_current(database)
    db_wiring.upgrade(database, "0001")
    with pytest.raises(db_wiring.SchemaBehind, match=r"behind \(revision 0001, the code needs"):
        db_wiring.require_current(database)
    db_wiring.upgrade(database)
    db_wiring.require_current(database)
    database.dispose()


def test_a_revision_the_code_does_not_know_is_not_called_behind(empty_url):
    database = Database.from_url(empty_url, db_wiring.SETTING)
    db_wiring.upgrade(database)
    with database.sync_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(db_wiring.SchemaBehind, match="at revision 9999, which this version .* does not know"):
        db_wiring.require_current(database)
    database.dispose()


def test_the_scheduler_creates_no_table_at_run_time(empty_url):
    """Its store's table is the migrations': made at run time, ``db upgrade`` would then fail on it."""
    database = Database.from_url(empty_url, db_wiring.SETTING)
    scheduler = Scheduler(JobRegistry(), database, kind="thread")
    scheduler.start(paused=True)
    scheduler.shutdown(wait=True)
    assert inspect(database.sync_engine).get_table_names() == []
    db_wiring.upgrade(database)
    assert db_wiring.schema_status(database).up_to_date
    database.dispose()


def test_default_url_is_a_sqlite_file_in_the_user_data_directory(monkeypatch):
    monkeypatch.delenv(db_wiring.SETTING, raising=False)
    url = db_wiring.configured_url()
    assert url.startswith("sqlite:///") and url.endswith("admin-assistant.db")


def test_malformed_setting_is_one_line_naming_it(monkeypatch):
    monkeypatch.setenv(db_wiring.SETTING, "postgresql//oops")
    with pytest.raises(DatabaseConfigError, match=f"^{db_wiring.SETTING}"):
        db_wiring.open_database()


def test_db_status_command_reports_and_exits_cleanly(tmp_path):
    env = {"ADMIN_ASSISTANT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "admin_assistant", "db", "status"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


def test_db_status_with_a_bad_url_says_one_line_and_fails():
    env = {"ADMIN_ASSISTANT_DATABASE_URL": "nonsense", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "admin_assistant", "db", "status"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "ADMIN_ASSISTANT_DATABASE_URL" in done.stderr


def test_a_server_keeps_every_connection_it_opens(monkeypatch):
    monkeypatch.delenv(db_wiring.POOL_SETTING, raising=False)
    with postgres_database() as url:
        database = db_wiring.open_database(url)
        try:
            pool = database.sync_engine.pool
            assert (pool.size(), pool._max_overflow) == (db_wiring.DEFAULT_POOL, 0)
            assert database.async_engine.pool.size() == db_wiring.DEFAULT_POOL
        finally:
            database.dispose()


def test_the_pool_setting_sizes_the_pool_and_a_bad_one_is_one_line(monkeypatch):
    monkeypatch.setenv(db_wiring.POOL_SETTING, "32")
    assert db_wiring.pool_options() == {"pool_size": 32, "max_overflow": 0}
    monkeypatch.setenv(db_wiring.POOL_SETTING, "many")
    with pytest.raises(DatabaseConfigError, match=r"ADMIN_ASSISTANT_DATABASE_POOL='many'.*e\.g\. 15"):
        db_wiring.pool_options()


def test_sqlite_pools_are_left_as_they_were(tmp_path, monkeypatch):
    monkeypatch.delenv(db_wiring.POOL_SETTING, raising=False)
    database = db_wiring.open_database(f"sqlite:///{tmp_path / 'pool.db'}")
    assert "pool_size" not in database.engine_options
    database.dispose()
