"""The application's own Typer CLI, converted by the codemod with no hand edits, passes the CLI suite.

``src/admin_assistant/sync/cli`` is converted into a temporary folder, imported in place of
``admin_assistant.sync.cli`` (its modules import each other by that name), and a representative
set of ``tests/cli`` tests runs against it, unchanged, with the fixtures that suite uses.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import shlex
import sys
import types
from pathlib import Path

import pytest

from codemods import runner

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "src" / "admin_assistant" / "sync" / "cli"
PACKAGE = "admin_assistant.sync.cli"
PROG = "admin-assistant"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_conftest = _load("_asyncshift_cli_conftest", ROOT / "tests" / "cli" / "conftest.py")
_suite = _load("_asyncshift_cli_commands", ROOT / "tests" / "cli" / "test_commands.py")
Result, write_flags = _conftest.Result, _conftest.write_flags
app, world = _conftest.app, _conftest.world  # the suite's fixtures: the application and its rows

SUBSET = [
    "test_users_create_prints_the_token_once",
    "test_duplicate_user_is_one_line_and_exit_1",
    "test_calendars_create_and_list_as_a_table",
    "test_user_comes_from_the_environment",
    "test_missing_user_is_a_usage_error",
    "test_unknown_user_is_one_line_and_exit_1",
    "test_appointments_add_reads_times_in_the_users_timezone",
    "test_bad_datetime_is_a_usage_error",
    "test_import_then_export_round_trip",
    "test_import_of_a_missing_file_is_a_usage_error",
    "test_config_archive_lifecycle",
    "test_config_archive_delete_asks_first",
    "test_archive_run_copies_once",
    "test_archive_replace_asks_unless_yes",
    "test_bad_date_range_is_a_usage_error",
    "test_jobs_schedule_list_run_now_remove",
    "test_db_status",
]
for _name in SUBSET:
    globals()[_name] = getattr(_suite, _name)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory):
    """The converted package's root group, imported under the original package name."""
    out = tmp_path_factory.mktemp("converted") / "cli"
    result = runner.run("typer-to-asyncclick", [SOURCE], out=out)
    assert result.count(runner.FAILED) == 0 and result.todos == 0, [(f.path, f.error, f.todos) for f in result.files]
    assert "typer" not in "".join((out / f.relative).read_text() for f in result.files).replace("typer_app", "")
    saved = {name: module for name, module in sys.modules.items() if name == PACKAGE or name.startswith(PACKAGE + ".")}
    for name in saved:
        del sys.modules[name]
    package = types.ModuleType(PACKAGE)
    package.__path__ = [str(out)]
    sys.modules[PACKAGE] = package
    try:
        main = importlib.import_module(f"{PACKAGE}.main")
    finally:
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]
        sys.modules.update(saved)
    return main


class ConvertedCli:
    """``cli("users list --json")`` on the converted app, as ``tests/cli`` runs the hand-written one."""

    def __init__(self, main) -> None:
        self.main = main

    def __call__(self, command: str | list[str], input: str | None = None):
        from asyncclick.testing import CliRunner

        from admin_assistant.wiring.clihost import CommandHost  # the Typer app's host: sync services

        argv = shlex.split(command) if isinstance(command, str) else list(command)
        host = CommandHost()
        result = asyncio.run(CliRunner().invoke(self.main.app, argv, input=input, prog_name=PROG, obj=host))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli(converted, clean_database, database_url, tmp_path, monkeypatch):
    from admin_assistant.presentation.cliformat import NO_PROGRESS_ENV, USER_ENV
    from admin_assistant.wiring import database as db_wiring
    from compat.flags import ENV_FLAGS, ENV_ROLLBACK, get_store
    from compat.jobs import jobs_metadata

    with clean_database.sync_engine.begin() as connection:
        for table in reversed(jobs_metadata.sorted_tables):
            connection.execute(table.delete())
    flags = tmp_path / "feature_flags.yaml"
    write_flags(flags, "typer")  # the converted app drives the sync services, as the Typer app does
    monkeypatch.setenv(ENV_FLAGS, str(flags))
    monkeypatch.delenv(ENV_ROLLBACK, raising=False)
    monkeypatch.setenv(db_wiring.SETTING, database_url)
    monkeypatch.delenv(USER_ENV, raising=False)
    monkeypatch.setenv(NO_PROGRESS_ENV, "1")
    get_store().refresh()
    yield ConvertedCli(converted)
    get_store().refresh()


def test_version_and_help_of_the_converted_root(cli):
    assert cli("--version").stdout.startswith("admin-assistant ")
    shown = cli("--help")
    assert shown.exit_code == 0 and "--version" in shown.stdout and "-h, --help" in shown.stdout
    assert [line.split()[0] for line in shown.stdout.split("Commands:\n")[1].splitlines() if line.strip()][0] == "serve"
    assert cli("serve --help").exit_code == 0 and "1<=x<=65535" in cli("serve --help").stdout
    assert cli([]).exit_code == 2  # no_args_is_help, as Click does
