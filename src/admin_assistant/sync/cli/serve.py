"""``admin-assistant serve``: the web application, with the scheduler in its process.
Twin of ``admin_assistant.aio.cli.serve``."""

from __future__ import annotations

from typing import Annotated

import typer

from admin_assistant.presentation.clihost import Unavailable
from admin_assistant.sync.cli.common import cli_host, fail


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the web app and API, and run the scheduled jobs. The scheduler runs in the web process."""
    try:
        cli_host(ctx).serve(host, port, workers)
    except Unavailable as exc:
        fail(str(exc))
