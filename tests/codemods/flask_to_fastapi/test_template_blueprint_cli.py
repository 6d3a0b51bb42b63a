"""A blueprint's command line (``@bp.cli.command("sync")``) stays Click commands once converted: a test invoking the
command itself (``app.test_cli_runner().invoke(sync)``) and one going through the app's command line
(``flask events sync``, the group Flask's ``register_blueprint`` adds) answer as in Flask. The decorator was removed
(an APIRouter has no ``cli``): the command was a plain function, and click's runner failed on it ('function' object
has no attribute 'name')."""

from __future__ import annotations

import sys

from side_by_side import convert_tree, load

PACKAGE = """\
from flask import Blueprint, Flask

events_bp = Blueprint("events", __name__)

from . import cli  # noqa: E402,F401


def create_app():
    app = Flask(__name__)
    app.register_blueprint(events_bp)
    return app
"""

CLI = """\
import click

from . import events_bp


@events_bp.cli.command(
    "sync_events", help="Sync the events"
)
def sync_events():
    click.echo("synced")


@events_bp.cli.command("greet")
@click.argument("name")
def greet(name):
    click.echo(f"hello {name}")


@events_bp.cli.group()
def jobs():
    pass


@jobs.command("queue")
def queue():
    click.echo("queued")
"""


def _outputs(app, cli):
    runner = app.test_cli_runner()
    return [
        runner.invoke(cli.sync_events).output,
        runner.invoke(cli.greet, ["ann"]).output,
        runner.invoke(args=["events", "sync_events"]).output,
        runner.invoke(args=["events", "greet", "bob"]).output,
        runner.invoke(args=["events", "jobs", "queue"]).output,
    ]


def test_a_blueprint_command_stays_a_click_command(tmp_path):
    (tmp_path / "src" / "beaver").mkdir(parents=True)
    (tmp_path / "src" / "beaver" / "__init__.py").write_text(PACKAGE)
    (tmp_path / "src" / "beaver" / "cli.py").write_text(CLI)
    flask_app = load(tmp_path / "src", "beaver", "create_app")
    expected = _outputs(flask_app, sys.modules["beaver.cli"])
    assert expected == ["synced\n", "hello ann\n", "synced\n", "hello bob\n", "queued\n"]
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "beaver" / "cli.py").read_text()
    assert '@cli_command(\n    events_bp, "sync_events", help="Sync the events"\n)' in converted
    assert "@cli_group(events_bp)" in converted and ".cli." not in converted
    fastapi_app = load(tmp_path / "out", "beaver", "create_app")
    assert _outputs(fastapi_app, sys.modules["beaver.cli"]) == expected
