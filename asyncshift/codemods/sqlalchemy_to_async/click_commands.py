"""A click command (Flask's ``@app.cli.command()``) calls what became a coroutine (``Role.init_role()``): run to
its end there (``_run_to_end``, written into the module), as the sync call ran.

click calls a command without awaiting it, and no event loop runs there. The helper runs the coroutine on a loop
of its own, where the ``db.session`` of asyncshift's Flask-SQLAlchemy helper is the sync session (awaitable): the
command does what it did (``flask init`` writes the roles), and blocks no loop, so no TODO. Left unawaited (with a
TODO) the command printed its messages and wrote nothing. asyncclick awaits its commands and is left alone
(``colours``). End state: an async command (asyncclick) awaiting it.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import unittest_cases

REASON = "which click calls without awaiting"  # ``held``'s
ROUTER_CLI = ("cli_command", "cli_group")  # flask-to-fastapi's ``_flask_compat/router_cli.py``


def held(project: Any, func: Any) -> str | None:
    """A click command (Flask's ``@app.cli.command()`` is one): click calls it without awaiting (asyncclick
    awaits, and is left alone)."""
    for decorator in func.decorators:
        full = project.types.dotted_decorator(func, decorator) or decorator
        if full.startswith("click.") or decorator.endswith((".cli.command", ".cli.group")) or _of_router(full):
            return f"'{func.name}' is a click command (@{decorator}), {REASON}"
    return None


def _of_router(full: str) -> bool:
    """flask-to-fastapi's ``@cli_command(bp, "sync")`` (a blueprint's ``@bp.cli.command``: a Click command of the
    router's Click group), imported from the helper package (or under its ``_helper`` alias)."""
    head, _, name = full.rpartition(".")
    return name.removesuffix("_helper") in ROUTER_CLI and head.endswith("_flask_compat")


def runs_here(conv: Any) -> bool:
    """The function being rewritten is a click command held sync (outside a lambda)."""
    if conv.lambdas or conv.function_id is None:
        return False
    func = conv.project.by_id(conv.function_id)
    return func is not None and not func.is_async and REASON in conv.project.held_sync.get(func.id, "")


def run_to_end(conv: Any, call: cst.BaseExpression) -> cst.Call:
    return unittest_cases.run_to_end(conv, call, who="click commands")
