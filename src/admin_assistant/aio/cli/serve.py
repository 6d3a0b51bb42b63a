"""``admin-assistant serve``: the web application, with the scheduler in its process.
Twin of ``admin_assistant.sync.cli.serve``."""

from __future__ import annotations

import asyncclick as click

from admin_assistant.aio.cli.common import cli_host, fail
from admin_assistant.presentation.clihost import Unavailable


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
@click.pass_context
async def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the web app and API, and run the scheduled jobs. The scheduler runs in the web process."""
    # uvicorn runs its own loop, and with workers a supervisor that needs the main thread and its
    # signals: the host given to this app starts it once this command's loop has closed.
    try:
        await cli_host(ctx).serve(host, port, workers)
    except Unavailable as exc:
        fail(str(exc))
