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

REASON = "which click calls without awaiting"  # ``colours._click_command``'s


def runs_here(conv: Any) -> bool:
    """The function being rewritten is a click command held sync (outside a lambda)."""
    if conv.lambdas or conv.function_id is None:
        return False
    func = conv.project.by_id(conv.function_id)
    return func is not None and not func.is_async and REASON in conv.project.held_sync.get(func.id, "")


def run_to_end(conv: Any, call: cst.BaseExpression) -> cst.Call:
    return unittest_cases.run_to_end(conv, call, who="click commands")
