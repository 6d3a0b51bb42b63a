"""A plain engine on aiosqlite stops its connections' threads before the interpreter waits for them at exit.

aiosqlite (0.22 on) runs each connection in a thread that is no daemon: a connection left open (a session nobody
closed, an engine never disposed, as pysqlite let a program do at no cost) kept a converted program or test suite
from ever exiting. The async db helpers register the stop themselves (``_stopped_at_exit`` in their templates);
``create_engine(...)`` converted to ``create_async_engine(...)`` on a SQLite URL, or on one known only at run time
(a test's may be SQLite where the project's settings name Postgres), is handed through the same function,
written into the module from the template (one text for both: a noop at run time for any other driver), when the
project's pins hold SQLAlchemy below 2.0.46 (from there its aiosqlite dialect makes the thread a daemon;
sqlalchemy/sqlalchemy issue 13039: an unpinned project installs a newer one). Other URLs, and projects on a newer
SQLAlchemy, are left unwrapped.
"""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst

from codemods.sqlalchemy_to_async import pinned
from codemods.sqlalchemy_to_async.conversion import Conversion

TEMPLATE = Path(__file__).with_name("template") / "_flask_sqlalchemy_async.py"
FUNCTION = "_stopped_at_exit"
DAEMON_THREADS = (2, 0, 46)  # the first SQLAlchemy whose aiosqlite dialect makes the thread a daemon itself
IMPORTS = ("import asyncio", "import threading", "import weakref", "from typing import Any", "", "import sqlalchemy")


def helper_code(name: str, function: str = FUNCTION) -> str:
    """The template's ``_stopped_at_exit`` (or ``function``), its module's imports made local (the module may have
    none of them)."""
    text = TEMPLATE.read_text(encoding="utf-8")
    node = next(n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name == function)
    lines = text.splitlines()
    body = "\n".join(lines[node.body[1].lineno - 1 : node.end_lineno])  # after the docstring
    doc = ast.get_docstring(node, clean=False)
    imports = "\n".join(f"    {line}" if line else "" for line in IMPORTS)
    return f'\n\ndef {name}(engine):\n    """{doc} (written by asyncshift)"""\n{imports}\n\n{body}\n\n'


def needed(conv: Conversion) -> bool:
    """Whether the project's pins hold SQLAlchemy below the release that makes aiosqlite's thread a daemon."""
    return pinned.below_2(conv.notes.source) or pinned.below(conv.notes.source, DAEMON_THREADS)


def wrapped(conv: Conversion, call: cst.Call) -> cst.Call:
    """``create_async_engine(...)`` -> ``_stopped_at_exit(create_async_engine(...))``, the helper written once."""
    name = conv.module_helper("exit", FUNCTION, helper_code)
    conv.notes.note(
        f"{name}(): an aiosqlite engine's connections are stopped at exit (aiosqlite's threads are no daemons)"
    )
    return cst.Call(cst.Name(name), args=[cst.Arg(call)])
