"""Methods of a ``unittest.TestCase`` stay sync: unittest calls a test without awaiting it.

An ``async def test_x`` on a plain ``TestCase`` returns a coroutine unittest drops (a warning, and the test
passes without running). So every method of such a class (its tests, ``setUp`` and the helpers they call) is
held sync, and what it does with Flask-SQLAlchemy's ``db`` runs on ``db.sync_session``, as before.
``IsolatedAsyncioTestCase`` awaits its tests and is left to the usual rules.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async.exprs import dotted
from codemods.sqlalchemy_to_async.facts import FunctionFacts

ASYNC_CASES = ("IsolatedAsyncioTestCase", "AsyncTestCase", "AioHTTPTestCase")
REASON = "is a method of a unittest TestCase, which calls its tests without awaiting"


def held(project: Any, func: FunctionFacts) -> str | None:
    """Why ``func`` stays sync, when its class is a unittest ``TestCase`` (by an outside base named so)."""
    if not func.cls:
        return None
    for cls in project.mro(func.module, func.cls):
        for base in cls.bases:
            name = (dotted(base) or "").rpartition(".")[2]
            if name.endswith(ASYNC_CASES):
                return None
            found = project.types.type_of(cls.module, None, base) or ""
            if name.endswith("TestCase") and not found.startswith("class:"):
                return f"'{func.name}' {REASON}"
    return None


def is_held_here(conv: Any) -> bool:
    """The function being rewritten is held sync as a unittest method (it blocks no event loop: no TODO)."""
    return REASON in conv.project.held_sync.get(conv.function_id or "", "")
