"""``asyncshift flags show|set|check`` and ``asyncshift rollback [--undo]``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from asyncclick.testing import CliRunner

from compat.control.commands import cli
from compat.flags import Stage, load_flags

ASYNCSHIFT = Path(sys.executable).with_name("asyncshift")

FLAGS = """\
# test flags
version: 1
rollback: false   # the big switch
default: sync
targets:
  repositories: shadow          # phase 1
  repositories.appointments: live
  web: async                    # phase 3
"""


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    monkeypatch.delenv("ASYNCSHIFT_FLAGS", raising=False)
    monkeypatch.delenv("ASYNCSHIFT_ROLLBACK", raising=False)


@pytest.fixture
def flags_file(tmp_path) -> Path:
    path = tmp_path / "feature_flags.yaml"
    path.write_text(FLAGS)
    return path


async def run(*args: str, env: dict | None = None):
    return await CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


async def test_show_lists_every_target_with_its_stage_and_the_line_that_set_it(flags_file):
    result = await run("flags", "show", "--flags", str(flags_file))
    assert result.exit_code == 0
    rows = [line.split(None, 2) for line in result.stdout.splitlines() if line.startswith(("repositories", "web"))]
    assert rows == [
        ["repositories", "shadow", "repositories (line 6)"],
        ["repositories.appointments", "live", "repositories.appointments (line 7)"],
        ["web", "async", "web (line 8)"],
    ]
    assert f"flags file: {flags_file}" in result.stdout and "rollback:   off" in result.stdout


async def test_show_resolves_a_named_target_through_its_parent(flags_file):
    result = await run("flags", "show", "web.routes.archive", "cli", "--flags", str(flags_file))
    assert "web.routes.archive         async   web (line 8)" in result.stdout
    assert "cli                        sync    default" in result.stdout


async def test_show_says_when_the_file_is_missing(tmp_path):
    result = await run("flags", "show", "--flags", str(tmp_path / "absent.yaml"))
    assert result.exit_code == 0
    assert "(missing: every target runs at default sync)" in result.stdout


async def test_show_json_gives_stage_source_and_rollback(flags_file):
    result = await run("flags", "show", "--json", "--flags", str(flags_file))
    data = json.loads(result.stdout)
    assert data["rollback"] == {"on": False, "file": False, "env": False}
    assert data["targets"][1] == {
        "target": "repositories.appointments",
        "stage": "live",
        "source": "repositories.appointments",
        "configured": "live",
        "configured_by": "repositories.appointments",
        "line": 7,
    }


async def test_show_uses_the_file_named_by_the_env_var(flags_file):
    result = await run("flags", "show", "--json", env={"ASYNCSHIFT_FLAGS": str(flags_file)})
    assert json.loads(result.stdout)["path"] == str(flags_file)


async def test_show_of_an_invalid_file_is_one_line_and_exit_1(flags_file):
    flags_file.write_text(FLAGS.replace("web: async", "web: asnyc"))
    result = await run("flags", "show", "--flags", str(flags_file))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {flags_file}:8: unknown stage 'asnyc' for target 'web'; use one of sync, shadow, live, async\n"
    )


async def test_set_changes_the_stage_and_keeps_the_comments(flags_file):
    result = await run("flags", "set", "web", "live", "--flags", str(flags_file))
    assert result.exit_code == 0 and result.stdout.startswith("web: async -> live")
    assert flags_file.read_text() == FLAGS.replace("web: async ", "web: live  ")


async def test_set_an_unknown_stage_is_a_usage_error(flags_file):
    result = await run("flags", "set", "web", "asnyc", "--flags", str(flags_file))
    assert result.exit_code == 2 and "'asnyc' is not one of 'sync', 'shadow', 'live', 'async'" in result.stderr
    assert flags_file.read_text() == FLAGS


async def test_set_an_invalid_target_name_is_one_line_and_exit_1(flags_file):
    result = await run("flags", "set", "web routes", "live", "--flags", str(flags_file))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "invalid target name 'web routes'" in result.stderr


async def test_set_under_rollback_warns_that_everything_still_runs_sync(flags_file):
    flags_file.write_text(FLAGS.replace("rollback: false", "rollback: true"))
    result = await run("flags", "set", "web", "live", "--flags", str(flags_file))
    assert "rollback is on" in result.stdout


async def test_check_a_valid_file_says_ok_and_exits_0(flags_file):
    result = await run("flags", "check", "--flags", str(flags_file))
    assert (result.exit_code, result.stdout) == (0, f"ok: {flags_file} (3 targets, rollback off)\n")


async def test_check_a_bad_file_lists_every_problem_and_exits_1(flags_file):
    flags_file.write_text(FLAGS.replace("web: async", "web: asnyc").replace("default:", "defualt:"))
    result = await run("flags", "check", "--flags", str(flags_file))
    assert result.exit_code == 1
    assert [line.split(": ", 1)[0] for line in result.stderr.splitlines()] == [f"{flags_file}:4", f"{flags_file}:8"]


async def test_rollback_turns_every_target_to_sync_and_undo_restores_them(flags_file):
    result = await run("rollback", "--flags", str(flags_file))
    assert result.exit_code == 0 and result.stdout.startswith("rollback on")
    assert {load_flags(flags_file).stage(t) for t in ("web", "repositories")} == {Stage.SYNC}
    await run("rollback", "--undo", "--flags", str(flags_file))
    assert flags_file.read_text() == FLAGS


async def test_show_under_rollback_says_what_each_target_returns_to(flags_file):
    await run("rollback", "--flags", str(flags_file))
    result = await run("flags", "show", "--flags", str(flags_file))
    assert "web                        sync    rollback; file says async via web (line 8)" in result.stdout


@pytest.mark.parametrize("verb", [["flags"], ["flags", "show"], ["flags", "set"], ["flags", "check"], ["rollback"]])
async def test_help_teaches_with_examples(verb):
    result = await run(*verb, "--help")
    assert result.exit_code == 0 and "Examples:" in result.stdout and "asyncshift " in result.stdout


def test_installed_command_check_exit_codes(flags_file, tmp_path):
    ok = subprocess.run([ASYNCSHIFT, "flags", "check", "--flags", flags_file], capture_output=True, text=True)
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ntargets: [\n")
    failed = subprocess.run([ASYNCSHIFT, "flags", "check", "--flags", bad], capture_output=True, text=True)
    assert (ok.returncode, failed.returncode) == (0, 1)
    assert failed.stderr.startswith(f"{bad}:3: YAML syntax error")


# ------------------------------------------------------------------ what the verbs say is true

DECLARED = FLAGS.replace(
    "default: sync\n", "default: sync\nknown_targets: [repositories.appointments, services.archive, web.routes.*]\n"
)


@pytest.fixture
def declared_file(tmp_path) -> Path:
    path = tmp_path / "feature_flags.yaml"
    path.write_text(DECLARED)
    return path


async def test_set_refuses_a_target_the_application_does_not_declare_and_lists_the_known(declared_file):
    result = await run("flags", "set", "servics.archive", "live", "--flags", str(declared_file))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown target 'servics.archive'; did you mean 'services.archive'?")
    assert "known targets (known_targets in " in result.stderr and "web.routes.*" in result.stderr
    assert declared_file.read_text() == DECLARED


async def test_set_accepts_a_declared_name_a_phase_and_a_name_under_a_prefix(declared_file):
    for target in ("services.archive", "services", "web.routes.archive"):
        result = await run("flags", "set", target, "shadow", "--flags", str(declared_file))
        assert result.exit_code == 0, result.output
    assert load_flags(declared_file).targets["web.routes.archive"] is Stage.SHADOW


async def test_promote_refuses_a_target_the_application_does_not_declare(declared_file):
    result = await run("promote", "foo.bar", "--flags", str(declared_file), "--db", "sqlite:///:memory:")
    assert result.exit_code == 1
    assert "unknown target 'foo.bar'" in result.stderr
    assert declared_file.read_text() == DECLARED


async def test_check_of_a_file_that_does_not_exist_is_an_error(tmp_path):
    result = await run("flags", "check", "--flags", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path / 'missing.yaml'}: no such flags file")
    assert "ok" not in result.stdout


@pytest.mark.parametrize("verb", [["report"], ["status"], ["promote", "web"], ["compare", "web", "--call", "x"]])
async def test_every_record_verb_takes_flags_and_refuses_a_file_that_does_not_exist(verb, tmp_path):
    result = await run(*verb, "--flags", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 1
    assert f"--flags {tmp_path / 'missing.yaml'}: no such file" in result.stderr


@pytest.mark.parametrize("verb", [["report", "servics"], ["compare", "servics.archive", "--call", "x"]])
async def test_report_and_compare_refuse_an_undeclared_target(verb, declared_file):
    result = await run(*verb, "--flags", str(declared_file))
    assert result.exit_code == 1
    assert "unknown target 'servics" in result.stderr
