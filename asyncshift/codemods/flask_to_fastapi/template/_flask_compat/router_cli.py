"""A blueprint's command line (``@bp.cli.command("sync")``): an APIRouter has none, so the router gets a Click group
of its own, named as the blueprint, and the app including the router adds it to ``app.cli``, as Flask's
``register_blueprint`` did (``flask events sync``). The command stays a Click command: ``runner.invoke(sync)``.

End state: the project's own command line (Click or Typer) holding the commands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_GROUP = "_flask_compat_cli"
_APPS = "_flask_compat_cli_apps"  # the apps that included the router before its first command


def router_cli(router: Any) -> Any:
    """The router's Click group (Flask's ``bp.cli``), made on first use."""
    group = router.__dict__.get(_GROUP)
    if group is None:
        import click

        tags = getattr(router, "tags", None) or []
        group = click.Group(str(tags[0]) if tags else None)
        router.__dict__[_GROUP] = group
        for app in router.__dict__.pop(_APPS, []):
            _add(app, group)
    return group


def cli_command(router: Any, *args: Any, **kwargs: Any) -> Callable:
    """``@bp.cli.command(...)``: a Click command of the router's group."""
    return router_cli(router).command(*args, **kwargs)


def cli_group(router: Any, *args: Any, **kwargs: Any) -> Callable:
    """``@bp.cli.group(...)``: a Click group inside the router's group."""
    return router_cli(router).group(*args, **kwargs)


def add_to_app(app: Any, router: Any) -> None:
    """The app including the router: its commands under the blueprint's name in ``app.cli``."""
    group = router.__dict__.get(_GROUP)
    if group is None:
        router.__dict__.setdefault(_APPS, []).append(app)
    else:
        _add(app, group)


def _add(app: Any, group: Any) -> None:
    cli = getattr(app, "cli", None)
    if group.name and hasattr(cli, "add_command"):
        cli.add_command(group)
