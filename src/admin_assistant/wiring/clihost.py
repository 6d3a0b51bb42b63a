"""The command lines' surroundings: what ``wiring`` hands each CLI as the Click context's ``obj``.

``CommandHost`` (the Typer app's ``CliHost``) opens the database and builds the application for
one command, and disposes of them after it; lent an application (``asyncshift compare``'s sandbox),
it yields that one as it is: its owner checked it and disposes of it. ``AsyncCommandHost`` (the
AsyncClick app's ``AsyncCliHost``) is the same host for an event loop: blocking work (connecting,
Alembic) runs on a thread, and ``serve`` raises ``compat.cli.HandOver`` so that uvicorn starts
once the command's loop has closed. SQLAlchemy, Alembic and APScheduler load only when a command
asks for them: ``--help`` stays quick.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from admin_assistant.presentation.clihost import Unavailable
from compat.cli import HandOver

if TYPE_CHECKING:
    from admin_assistant.wiring.app import Application
    from compat.db import Database
    from compat.jobs import Scheduler


def open_checked(*, upgrade_sqlite: bool = True, current: bool = True) -> Database:
    """The configured database, connected once; ``Unavailable`` (one line) when it cannot be used.

    ``current``: its schema must be at the head revision too (every command but ``db``), so that
    nothing reaches a table the migrations have not made yet."""
    from admin_assistant.wiring.database import open_database, require_current
    from compat.db import DatabaseConfigError

    try:
        database = open_database(upgrade_sqlite=upgrade_sqlite)
    except DatabaseConfigError as exc:
        raise Unavailable(str(exc)) from exc
    try:
        database.check()
        if current:
            require_current(database)
    except DatabaseConfigError as exc:
        database.dispose()
        raise Unavailable(str(exc)) from exc
    return database


def web_server() -> Callable[[str, int, int], None]:
    """``wiring.serve.serve``, or ``Unavailable`` when the web extras are not installed."""
    try:
        from admin_assistant.wiring.serve import serve
    except ImportError as exc:
        raise Unavailable(f"the web server is not available: {exc}") from exc
    return serve


@dataclass
class CommandHost:
    """The Typer app's host (``admin_assistant.presentation.clihost.CliHost``)."""

    lent: Application | None = None

    @contextlib.contextmanager
    def application(self) -> Iterator[Application]:
        with self._database(upgrade_sqlite=True) as database:
            application = self.lent if self.lent is not None else _build(database)
            try:
                yield application
            finally:
                application.checker.drain_sync()

    def schema_status(self) -> str:
        from admin_assistant.wiring.database import schema_status

        with self._database(upgrade_sqlite=True, current=False) as database:
            return schema_status(database).describe()

    def upgrade_schema(self, revision: str) -> str:
        from admin_assistant.wiring.database import schema_status, upgrade

        with self._database(upgrade_sqlite=False, current=False) as database:
            upgrade(database, revision)
            return schema_status(database).describe()

    def scheduler(self, application: Application) -> Scheduler:
        from admin_assistant.wiring import scheduling

        return scheduling.scheduler(application, kind="thread")

    def serve(self, host: str, port: int, workers: int) -> None:
        server = web_server()
        open_checked().dispose()  # unreachable or behind: one line here, not a worker's traceback
        server(host, port, workers)

    @contextlib.contextmanager
    def _database(self, *, upgrade_sqlite: bool, current: bool = True) -> Iterator[Database]:
        if self.lent is not None:
            yield self.lent.database
            return
        database = open_checked(upgrade_sqlite=upgrade_sqlite, current=current)
        try:
            yield database
        finally:
            database.dispose()


@dataclass
class AsyncCommandHost:
    """The AsyncClick app's host (``admin_assistant.presentation.clihost.AsyncCliHost``): a
    ``CommandHost`` whose blocking work runs on a thread, the application awaited in the loop."""

    lent: Application | None = None

    @contextlib.asynccontextmanager
    async def application(self) -> AsyncIterator[Application]:
        async with self._database() as database:
            application = self.lent if self.lent is not None else _build(database)
            try:
                yield application
            finally:
                await application.checker.drain()

    async def schema_status(self) -> str:
        import anyio.to_thread

        return await anyio.to_thread.run_sync(self._blocking().schema_status)

    async def upgrade_schema(self, revision: str) -> str:
        import anyio.to_thread

        return await anyio.to_thread.run_sync(self._blocking().upgrade_schema, revision)

    def scheduler(self, application: Application) -> Scheduler:
        from admin_assistant.wiring import scheduling

        return scheduling.scheduler(application, kind="asyncio")

    async def serve(self, host: str, port: int, workers: int) -> None:
        import anyio.to_thread

        server = web_server()
        database = await anyio.to_thread.run_sync(open_checked)  # one line when it cannot be served
        database.dispose()
        # uvicorn needs a loop of its own (and, with workers, the main thread): after this one.
        raise HandOver(server, host, port, workers)

    def _blocking(self) -> CommandHost:
        return CommandHost(self.lent)

    @contextlib.asynccontextmanager
    async def _database(self) -> AsyncIterator[Database]:
        import anyio.to_thread

        if self.lent is not None:
            yield self.lent.database
            return
        database = await anyio.to_thread.run_sync(open_checked)
        try:
            yield database
        finally:
            await database.adispose()


def _build(database: Database) -> Application:
    from admin_assistant.wiring.app import build  # SQLAlchemy loads here, not for --help

    return build(database)
