"""One CLI harness, six ways in: the Typer app, the AsyncClick app, and the ``admin-assistant``
dispatcher with ``cli`` at each stage. Every test in ``tests/cli`` runs each way, on SQLite and
PostgreSQL, with the same expectations.

The Typer app runs with every other target at ``sync``, the AsyncClick app with every other target
at ``async`` (the two stacks end to end); the dispatcher runs with only ``cli`` moved. Each app
is handed the host the entry point hands it (``admin_assistant.wiring.clihost``).
"""

from __future__ import annotations

import asyncio
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from admin_assistant.presentation.cliformat import NO_PROGRESS_ENV, USER_ENV
from admin_assistant.wiring import database as db_wiring
from admin_assistant.wiring.app import build
from admin_assistant.wiring.clihost import AsyncCommandHost, CommandHost
from compat.cli import HandOver
from compat.db import Database
from compat.flags import ENV_FLAGS, ENV_ROLLBACK, FlagStore, get_store
from compat.jobs import jobs_metadata
from compat.shadow import MemoryRecorder

WAYS = ["typer", "asyncclick", "dispatch-sync", "dispatch-shadow", "dispatch-live", "dispatch-async"]
PROG = "admin-assistant"


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


class Cli:
    """``cli("calendars list --json")`` runs one command the chosen way and returns its Result."""

    def __init__(self, way: str, store: FlagStore) -> None:
        self.way = way
        self.store = store
        self.recorder = MemoryRecorder()

    def __call__(self, command: str | list[str], input: str | None = None) -> Result:
        argv = shlex.split(command) if isinstance(command, str) else list(command)
        if self.way == "typer":
            return self._typer(argv, input)
        if self.way == "asyncclick":
            return asyncio.run(self._asyncclick(argv, input))
        return self._dispatch(argv, input)

    def _typer(self, argv: list[str], input: str | None) -> Result:
        from typer.testing import CliRunner

        from admin_assistant.sync.cli import app

        result = CliRunner().invoke(app, argv, input=input, prog_name=PROG, obj=CommandHost())
        _reraise(result)
        return Result(result.exit_code, result.stdout, result.stderr)

    async def _asyncclick(self, argv: list[str], input: str | None) -> Result:
        from asyncclick.testing import CliRunner

        from admin_assistant.aio.cli import app

        result = await CliRunner().invoke(app, argv, input=input, prog_name=PROG, obj=AsyncCommandHost())
        if isinstance(result.exception, HandOver):  # what the entry point does once the loop is gone
            return Result(await asyncio.to_thread(result.exception.run), result.stdout, result.stderr)
        _reraise(result)
        return Result(result.exit_code, result.stdout, result.stderr)

    def _dispatch(self, argv: list[str], input: str | None) -> Result:
        from asyncclick.testing import CliRunner

        from admin_assistant.wiring.cli import dispatcher

        with CliRunner().isolation(input=input) as (out, err, _both):
            code = dispatcher(store=self.store, recorder=self.recorder)(argv)
            return Result(code, out.getvalue().decode(), err.getvalue().decode())


def _reraise(result: Any) -> None:
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        raise exc


@pytest.fixture(params=WAYS)
def way(request: pytest.FixtureRequest) -> str:
    return request.param


def write_flags(path: Path, way: str) -> None:
    if way == "typer":
        body = "default: sync\n"
    elif way == "asyncclick":
        body = "default: async\n"
    else:
        body = f"default: sync\ntargets:\n  cli: {way.removeprefix('dispatch-')}\n"
    path.write_text("version: 1\n" + body)


@pytest.fixture
def cli(
    way: str, clean_database: Database, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Cli]:
    with clean_database.sync_engine.begin() as connection:
        for table in reversed(jobs_metadata.sorted_tables):
            connection.execute(table.delete())
    flags = tmp_path / "feature_flags.yaml"
    write_flags(flags, way)
    monkeypatch.setenv(ENV_FLAGS, str(flags))
    monkeypatch.delenv(ENV_ROLLBACK, raising=False)
    monkeypatch.setenv(db_wiring.SETTING, database_url)
    monkeypatch.delenv(USER_ENV, raising=False)
    monkeypatch.setenv(NO_PROGRESS_ENV, "1")
    get_store().refresh()
    yield Cli(way, FlagStore(flags))
    get_store().refresh()


@pytest.fixture
def app(clean_database: Database, tmp_path: Path) -> Any:
    """The application on the test database, all sync: to set up rows and look at them."""
    flags = tmp_path / "setup_flags.yaml"
    flags.write_text("version: 1\ndefault: sync\n")
    return build(clean_database, store=FlagStore(flags), recorder=MemoryRecorder()).sync


@dataclass
class World:
    email: str
    user_id: int
    work: int
    archive: int
    config: int


@pytest.fixture
def world(app: Any) -> World:
    """me@example.com (Europe/London) with Work (two appointments on 2 June 2025), Work archive,
    and the Nightly configuration archiving one into the other at 23:30."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    user = app.users.create("me@example.com", display_name="Me", timezone="Europe/London").user
    work = app.calendars.create(user.id, "Work")
    archive = app.calendars.create(user.id, "Work archive", kind="archive")
    for hour, subject in ((9, "Standup"), (14, "Review")):
        start = dt.datetime(2025, 6, 2, hour, tzinfo=london)
        app.appointments.create(user.id, work.id, start, start + dt.timedelta(hours=1), subject=subject)
    config = app.archive_configurations.create(user.id, "Nightly", work.id, archive.id, schedule="23:30")
    return World(user.email, user.id, work.id, archive.id, config.id)


@pytest.fixture
def other_way(cli: Cli) -> Any:
    """``other_way("asyncclick")``: the harness run another way, on the same database and flags."""
    return lambda way: Cli(way, cli.store)


@pytest.fixture
def cli_on(way: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``cli_on(url)``: the harness run the chosen way on any database URL (none prepared)."""

    def on(url: str) -> Cli:
        flags = tmp_path / "feature_flags.yaml"
        write_flags(flags, way)
        monkeypatch.setenv(ENV_FLAGS, str(flags))
        monkeypatch.delenv(ENV_ROLLBACK, raising=False)
        monkeypatch.setenv(db_wiring.SETTING, url)
        monkeypatch.setenv(USER_ENV, "me@example.com")
        monkeypatch.setenv(NO_PROGRESS_ENV, "1")
        get_store().refresh()
        return Cli(way, FlagStore(flags))

    yield on
    get_store().refresh()
