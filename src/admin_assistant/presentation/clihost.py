"""What a command needs from its surroundings, handed to each command line as the Click context's ``obj``.

The stacks' command lines never build the application: ``admin_assistant.wiring`` does, and hands
the Typer app a ``CliHost`` and the AsyncClick app an ``AsyncCliHost`` (``main(..., obj=host)``),
as it hands the web apps their application. A command reads it with ``cli_host()`` from its
stack's ``common.py``. The two protocols are twins: the same names, awaited on the async side.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import Any, Protocol


class Unavailable(Exception):
    """What the surroundings cannot give a command (a database it cannot use, no web server);
    the message is one line for the user."""


class CliHost(Protocol):
    """The Typer app's surroundings."""

    def application(self) -> AbstractContextManager[Any]:
        """The application for one command (its ``.sync`` services), released after it; raises
        ``Unavailable`` when the database cannot be used."""
        ...

    def schema_status(self) -> str:
        """The schema status for people, once the database exists (a SQLite file is brought up to date)."""
        ...

    def upgrade_schema(self, revision: str) -> str:
        """Apply the migrations up to ``revision``; the schema status after, for people."""
        ...

    def scheduler(self, application: Any) -> Any:
        """A scheduler over the application's jobs, not started."""
        ...

    def serve(self, host: str, port: int, workers: int) -> None:
        """Serve the web app and run the scheduled jobs until stopped; ``Unavailable`` without a server."""
        ...


class AsyncCliHost(Protocol):
    """The AsyncClick app's surroundings."""

    def application(self) -> AbstractAsyncContextManager[Any]:
        """The application for one command (its ``.aio`` services), released after it; raises
        ``Unavailable`` when the database cannot be used."""
        ...

    async def schema_status(self) -> str:
        """The schema status for people, once the database exists (a SQLite file is brought up to date)."""
        ...

    async def upgrade_schema(self, revision: str) -> str:
        """Apply the migrations up to ``revision``; the schema status after, for people."""
        ...

    def scheduler(self, application: Any) -> Any:
        """A scheduler over the application's jobs, in this event loop, not started."""
        ...

    async def serve(self, host: str, port: int, workers: int) -> None:
        """Serve the web app and run the scheduled jobs until stopped; ``Unavailable`` without a server.
        The server needs a loop of its own: the host may end the command to start it once the
        command's loop has closed."""
        ...
