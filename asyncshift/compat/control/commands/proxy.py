"""``asyncshift proxy nginx``: route by the flags at nginx, each stack in its own server behind it."""

from __future__ import annotations

import importlib
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import asyncclick as click

from compat.control.commands.options import flags_option, flags_path
from compat.flags import FlagsError, load_flags

POLL_SECONDS = 0.2


@click.group("proxy", short_help="Route by the flags at a reverse proxy (nginx).")
def proxy_group() -> None:
    """Route by the flags at a reverse proxy that teams already run, for deployments that outgrow one
    process: each stack runs in its own native server (Flask under gunicorn, FastAPI under uvicorn)
    and the proxy sends each route to one of them by its target's stage."""


@proxy_group.command("nginx", no_args_is_help=True)
@click.option("--app", "app_ref", required=True, metavar="MODULE:NAME", help="The strangler (or a factory of it).")
@click.option("--sync", "sync_address", required=True, metavar="HOST:PORT", help="Where the old (WSGI) app serves.")
@click.option("--async", "async_address", required=True, metavar="HOST:PORT", help="Where the new (ASGI) app serves.")
@click.option("--listen", default="127.0.0.1:8000", show_default=True, metavar="ADDRESS", help="nginx's listen.")
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False), help="The file to write (include it in http {})."
)
@click.option("--standalone", is_flag=True, help="Also write nginx.conf beside --out, every nginx path in that folder.")
@click.option("--watch", is_flag=True, help="Keep running: write again and reload whenever the flags change.")
@click.option(
    "--reload",
    "reload_command",
    default="nginx -s reload",
    show_default=True,
    metavar="COMMAND",
    help="Run after each write in --watch mode ('' for none).",
)
@flags_option
async def nginx_command(
    app_ref: str,
    sync_address: str,
    async_address: str,
    listen: str,
    out: str,
    standalone: bool,
    watch: bool,
    reload_command: str,
    flags_file: str | None,
) -> None:
    """Write an nginx configuration that routes each request as the strangler in --app would.

    The route table is the strangler's own (its new app's routes, in order, each with its target),
    so nginx and the in-process front agree on every path. 'shadow' and 'live' serve from one
    side and mirror reads to the other, sampled at the flags' sample_rate; nginx ignores the
    mirror's answer, so comparisons and their records stay with the in-process strangler.
    With --watch, a flags change (a flip, 'asyncshift rollback') is written and nginx reloaded
    within a second; requests in flight finish on the old workers. A bad flags edit is reported
    and the last good configuration stays.

    \b
    Examples:
      asyncshift proxy nginx --app admin_assistant.wiring.serve:asgi_app \\
          --sync 127.0.0.1:8001 --async 127.0.0.1:8002 --out /etc/nginx/conf.d/asyncshift.conf
      asyncshift proxy nginx --app myapp.front:strangler --sync unix:/run/flask.sock \\
          --async 127.0.0.1:8002 --out ./proxy/asyncshift.conf --standalone --watch \\
          --reload 'nginx -c ./proxy/nginx.conf -s reload'
    """
    from compat.control.nginx import Upstreams, render
    from compat.control.nginx import standalone as standalone_conf

    path = flags_path(flags_file)
    table = _route_table(app_ref)
    upstreams = Upstreams(sync=sync_address, asynchronous=async_address, listen=listen)
    target = Path(out)
    if standalone:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(target.with_name("nginx.conf"), standalone_conf(str(target.parent.resolve())))

    def current() -> str:
        return render(table["rules"], load_flags(path), upstreams, source=path, **table["routing"])

    signature = _signature(path)  # before reading: a change while this runs is seen below
    try:
        text = current()
    except (FlagsError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    changed = _write(target, text)
    click.echo(f"{'wrote' if changed else 'unchanged'} {target} ({len(table['rules'])} routes, flags {path})")
    if not watch:
        return
    if changed:  # a running nginx may hold an older file
        _reload(reload_command)
    click.echo(f"watching {path}; Ctrl-C to stop", err=True)
    import anyio

    try:
        while True:
            await anyio.sleep(POLL_SECONDS)
            now = _signature(path)
            if now == signature:
                continue
            signature = now
            try:
                text = current()
            except (FlagsError, ValueError) as exc:
                click.echo(f"{exc} (the last good configuration stays)", err=True)
                continue
            if _write(target, text):
                started = time.monotonic()
                _reload(reload_command)
                click.echo(f"flags changed: wrote {target}, reloaded in {time.monotonic() - started:.2f} s", err=True)
    except (KeyboardInterrupt, anyio.get_cancelled_exc_class()):
        return


def _route_table(app_ref: str) -> dict[str, Any]:
    """The strangler's routes and routing predicates, from ``MODULE:NAME`` (an object or a factory)."""
    module_name, _, attribute = app_ref.partition(":")
    if not module_name or not attribute:
        raise click.ClickException(f"--app {app_ref}: give MODULE:NAME, e.g. myapp.front:strangler")
    sys.path.insert(0, os.getcwd())
    try:
        found = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, SyntaxError) as exc:
        raise click.ClickException(f"--app {app_ref}: {type(exc).__name__}: {exc}") from None
    strangler = found() if callable(found) and not hasattr(found, "target_of") else found
    target_of = getattr(strangler, "target_of", None)
    if not hasattr(target_of, "rules"):
        raise click.ClickException(
            f"--app {app_ref}: not a strangler whose routes can be listed (compat.web.Strangler with RouteTargets)"
        )
    return {
        "rules": target_of.rules(),
        "routing": {
            "default_target": target_of.default,
            "new_only": strangler.new_only,
            "replay_writes": strangler.replay_writes,
        },
    }


def _write(path: Path, text: str) -> bool:
    """Write atomically when the text differs; whether it did."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return True


def _signature(path: str) -> tuple | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


def _reload(command: str) -> None:
    if not command:
        return
    done = subprocess.run(shlex.split(command), capture_output=True, text=True)
    if done.returncode != 0:
        click.echo(f"reload failed ({command}): {done.stderr.strip() or done.returncode}", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(proxy_group)
