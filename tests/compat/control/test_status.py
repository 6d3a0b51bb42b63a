"""compat.control.status and ``asyncshift status``: the migration at a glance."""

from __future__ import annotations

import json

import pytest
from asyncclick.testing import CliRunner

from compat.control.commands import cli
from compat.control.commands.status import render
from compat.control.project import load_project
from compat.control.status import migration_status
from compat.flags import Stage, load_flags, set_stage
from compat.shadow import Comparison

FLAGS = """\
version: 1
rollback: false
default: sync
targets:
  repositories: shadow
  repositories.users: live
  services: sync
gates:
  default:
    min_runs: 2
    max_mismatch_rate: 0.0
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project with an old stack of three repositories, two of them already on the new stack."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASYNCSHIFT_DATABASE_URL", raising=False)
    (tmp_path / "pyproject.toml").write_text('[tool.asyncshift]\nold = "src/app/sync"\nnew = "src/app/aio"\n')
    for stack, names in (("sync", ["users", "notes", "tags"]), ("aio", ["users", "notes"])):
        folder = tmp_path / "src" / "app" / stack / "repositories"
        folder.mkdir(parents=True)
        for name in ["__init__", *names]:
            (folder / f"{name}.py").write_text("")
    (tmp_path / "feature_flags.yaml").write_text(FLAGS)
    return tmp_path


def record(target, status="match", stage="shadow"):
    return Comparison(
        target,
        "get",
        stage,
        "old",
        status,
        diff="$.a: 1 != 2" if status == "mismatch" else "",
        control_ms=1,
        candidate_ms=1,
    )


def test_every_phase_and_target_with_stage_modules_figures_and_gate(project, recorded):
    runs = [record("repositories.notes")] * 3 + [record("repositories.users", "mismatch", "live")]
    status = migration_status(load_flags(project / "feature_flags.yaml"), recorded(runs), project=load_project())
    phases = {p.target: p for p in status.phases}
    assert list(phases) == ["repositories", "services", "web", "cli", "jobs"]
    repositories = phases["repositories"]
    assert (repositories.stage, str(repositories.modules), repositories.modules.missing) == (
        Stage.SHADOW,
        "2/3",
        ("repositories/tags.py",),
    )
    assert repositories.verdict.summary.runs == 3 and repositories.verdict.passed  # notes' runs, not users'
    users = {c.target: c for c in repositories.children}["repositories.users"]
    assert (users.stage, str(users.modules), users.verdict.passed) == (Stage.LIVE, "1/1", False)
    assert [c.name for c in users.verdict.failed] == ["min_runs", "max_mismatch_rate"]
    text = render(status)
    assert "repositories          shadow  2/3      3     0.00%     +0.00%  1.00  passes -> live" in text
    assert "  repositories.users  live    1/1      1     100.00%" in text


def test_rollback_shows_the_stage_in_force_and_the_file_s_stage(project):
    path = project / "feature_flags.yaml"
    path.write_text(FLAGS.replace("rollback: false", "rollback: true"))
    status = migration_status(load_flags(path), None)
    repositories = status.phases[0]
    assert (repositories.stage, repositories.configured) == (Stage.SYNC, Stage.SHADOW)
    assert "rollback: ON: every target runs at sync" in render(status)
    assert "repositories          sync*" in render(status)


async def test_status_json_from_the_command_line(project):
    set_stage(
        project / "feature_flags.yaml", "services", "shadow", note="promoted sync -> shadow at 2026-01-01T00:00:00Z"
    )
    result = await CliRunner().invoke(cli, ["status", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    services = {p["target"]: p for p in data["phases"]}["services"]
    assert (services["stage"], services["note"]) == ("shadow", "promoted sync -> shadow at 2026-01-01T00:00:00Z")
    assert data["rollback"]["on"] is False


async def test_status_as_text_without_a_database_says_the_figures_are_empty(project):
    result = await CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 0, result.output
    assert "no database configured" in result.stdout
    assert result.stdout.startswith("flags: feature_flags.yaml    rollback: off")


async def test_status_with_an_unreachable_database_names_it_and_fails(project, monkeypatch):
    monkeypatch.setenv("ASYNCSHIFT_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/records")
    result = await CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 1
    assert "cannot connect to postgresql://postgres@127.0.0.1:1/records" in result.stderr
    assert "no database configured" not in result.output


@pytest.fixture(params=["missing folder", "a folder", "not a database"])
def unopenable_sqlite(request, project):
    """A SQLite URL naming a file that cannot be opened as a database."""
    if request.param == "missing folder":
        return f"sqlite:///{project / 'no-such-folder' / 'records.db'}"
    if request.param == "a folder":
        (project / "records.db").mkdir()
    else:
        (project / "records.db").write_text("these are notes, not records\n" * 200)
    return f"sqlite:///{project / 'records.db'}"


async def test_status_with_a_sqlite_file_that_cannot_be_opened_names_it_and_fails(
    project, unopenable_sqlite, monkeypatch
):
    monkeypatch.setenv("ASYNCSHIFT_DATABASE_URL", unopenable_sqlite)
    result = await CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    path = unopenable_sqlite.split("///", 1)[1]
    assert path in line and ("cannot connect to" in line or "no SQLite database at" in line)
    assert "Traceback" not in result.output and "no database configured" not in result.output
    assert not (project / "no-such-folder").exists()  # nothing created on the way


async def test_status_with_a_sqlite_file_that_does_not_exist_names_it_and_creates_nothing(project, monkeypatch):
    missing = project / "recrods.db"  # a typo: SQLite would make an empty file and report zero runs
    monkeypatch.setenv("ASYNCSHIFT_DATABASE_URL", f"sqlite:///{missing}")
    result = await CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert f"no SQLite database at {missing}" in line
    assert not missing.exists()


async def test_status_shows_interrupted_and_stale_job_occurrences(project, records_url, records_engine, monkeypatch):
    import datetime as dt

    from compat.jobs.tables import job_runs, jobs_metadata

    engine = records_engine
    jobs_metadata.create_all(engine)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def row(job_id, minutes_ago, status, attempts=1, error=None, heartbeat_ago=None):
        at = now - dt.timedelta(minutes=minutes_ago)
        return {
            "job_id": job_id,
            "scheduled_at": at,
            "started_at": at,
            "status": status,
            "side": "old",
            "runner": "host:1",
            "error": error,
            "attempts": attempts,
            "heartbeat_at": None if heartbeat_ago is None else now - dt.timedelta(seconds=heartbeat_ago),
        }

    rows = [row(f"archive_{i}", 10 + i, "interrupted", attempts=2, error="interrupted: lease") for i in range(6)]
    rows += [
        row("reminders", 1, "running", heartbeat_ago=5),  # alive
        row("digest", 3, "running", heartbeat_ago=300),  # stale: its lease ran out
        row("digest", 9, "succeeded"),
    ]
    with engine.begin() as connection:
        connection.execute(job_runs.insert(), rows)
    engine.dispose()
    monkeypatch.setenv("ASYNCSHIFT_DATABASE_URL", records_url)

    result = await CliRunner().invoke(cli, ["status", "--json"])
    assert result.exit_code == 0, result.output
    jobs = json.loads(result.stdout)["jobs"]
    assert (jobs["interrupted"], jobs["stale"], jobs["lease_seconds"]) == (6, 1, 60.0)
    assert [r["job_id"] for r in jobs["recent"]] == [f"archive_{i}" for i in range(5)]  # newest first, five
    assert (jobs["recent"][0]["attempts"], jobs["recent"][0]["error"]) == (2, "interrupted: lease")

    result = await CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 0, result.output
    assert "job occurrences: 6 interrupted, 1 stale (running with no lease renewal for over 60s)" in result.stdout
    assert "most recent interrupted (5 of 6):" in result.stdout
    assert "    archive_0  scheduled " in result.stdout and "attempts 2  interrupted: lease" in result.stdout
    assert "archive_5" not in result.stdout


async def test_status_without_a_job_runs_table_shows_no_jobs(project, records_url, records_engine, monkeypatch):
    from compat.shadow.recorders import shadow_metadata

    engine = records_engine
    shadow_metadata.create_all(engine)  # a toolkit database with records and no job runtime
    engine.dispose()
    monkeypatch.setenv("ASYNCSHIFT_DATABASE_URL", records_url)
    result = await CliRunner().invoke(cli, ["status", "--json"])
    assert result.exit_code == 0, result.output
    assert "jobs" not in json.loads(result.stdout)
    result = await CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 0, result.output
    assert "job occurrences" not in result.stdout and "no database configured" not in result.stdout


def test_the_migration_page_lists_interrupted_occurrences():
    import datetime as dt

    from compat.control.dashboard import fragment
    from compat.control.status import Interrupted, JobsStatus, MigrationStatus

    at = dt.datetime(2026, 1, 1, 12, 0)
    jobs = JobsStatus(1, 0, [Interrupted("archive<x>", at, 3, "died")], 60.0)
    page = fragment(MigrationStatus("feature_flags.yaml", False, "off", [], at, jobs), {})
    assert "job occurrences: 1 interrupted, 0 stale" in page
    assert "archive&lt;x&gt; &middot; scheduled 2026-01-01 12:00:00 &middot; attempts 3 &middot; died" in page
    assert "job occurrences" not in fragment(MigrationStatus("f", False, "off", [], at), {})
