"""A plain engine converted to ``create_async_engine`` keeps a pool per event loop, as the async db helpers' do.

asyncpg's connection (psycopg's, aiomysql's) belongs to the loop that opened it. A converted test drives the app on
two loops: the Flask-style test client serves its requests on a loop in a thread of its own, the test's coroutines
run on another (pytest-asyncio's, ``_run_to_end``'s). An engine the app made itself (``engine =
create_engine(url)`` beside a ``scoped_session``) had one pool for both, and handed a connection opened on one loop
to the other ('got Future attached to a different loop'; two loops driving one connection). The converted call goes
through the db helpers' own ``_pooled_per_loop`` (written into the module from their template, one text for all):
a pool per running loop where the engine has SQLAlchemy's default async pool on a server database; a SQLite URL
(aiosqlite's connections serve any loop), a ``poolclass`` the app chose, are left as they are, at run time, and a
literal SQLite URL or a ``poolclass`` argument is not wrapped at all, nor is an engine of a run whose tests all stay
sync (one loop at most).
"""

from __future__ import annotations

import ast
from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import engine_exits, fixtures
from codemods.sqlalchemy_to_async.conversion import Conversion

FUNCTION = "_pooled_per_loop"


def needed(conv: Conversion, call: cst.Call, sqlite: bool) -> bool:
    """Whether ``create_async_engine(...)`` may get the default pool on a server database (no ``poolclass`` given,
    a URL that is not a literal SQLite one) in a run whose tests become coroutines (pytest-asyncio's loop beside
    the one a test client serves on)."""
    chosen = any(arg.keyword is not None and arg.keyword.value in ("poolclass", "pool") for arg in call.args)
    return not chosen and not sqlite and _tests_become_async(conv.project)


def _tests_become_async(project: Any) -> bool:
    """Whether a test or fixture of the run becomes a coroutine (run on pytest-asyncio's loop)."""
    functions = (f for module in project.modules.values() for f in module.functions.values())
    return any(f.id in project.becoming_async and fixtures.is_test(f) for f in functions)


def wrapped(conv: Conversion, call: cst.Call) -> cst.Call:
    """``create_async_engine(...)`` -> ``_pooled_per_loop(create_async_engine(...))``, the helper written once."""
    name = conv.module_helper("pool", FUNCTION, lambda free: engine_exits.helper_code(free, FUNCTION))
    conv.notes.note(f"{name}(): the async engine keeps a pool per event loop (a connection stays on its own loop)")
    return cst.Call(cst.Name(name), args=[cst.Arg(call)])


def in_helper(text: str) -> str:
    """A db helper's text with its stub ``_pooled_per_loop`` (Alchemical's: one module at its line limit, read as
    it is by its tests) replaced by the Flask-SQLAlchemy helper's, at module level beside the same imports."""
    stub = _function(text)
    if stub is None or len(stub.body) > 1:  # none, or the Flask-SQLAlchemy helper's own
        return text
    source = engine_exits.TEMPLATE.read_text(encoding="utf-8")
    found = _function(source)
    lines, own = text.splitlines(keepends=True), source.splitlines(keepends=True)
    return "".join([*lines[: stub.lineno - 1], *own[found.lineno - 1 : found.end_lineno], *lines[stub.end_lineno :]])


def _function(text: str) -> ast.FunctionDef | None:
    nodes = ast.parse(text).body
    return next((n for n in nodes if isinstance(n, ast.FunctionDef) and n.name == FUNCTION), None)
