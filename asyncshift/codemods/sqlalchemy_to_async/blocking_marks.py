"""Calls the source marks as blocking: ``x = f(a)  # asyncshift: to_thread`` -> ``x = await asyncio.to_thread(f, a)``.

No rule can tell that a function outside the run (a parser, a password hash, a child process waited on) holds
the thread for long: in a coroutine it would hold the event loop. The application says so where it calls it, on
the sync side, in a comment that changes nothing there; in code that is async after the run, the statement's
call runs in a thread (the comment stays, so a second run changes nothing). A mark on a statement whose value is
not a call gets a TODO.
"""

from __future__ import annotations

import re

import libcst as cst

from codemods.sqlalchemy_to_async import awaited_calls
from codemods.sqlalchemy_to_async.conversion import Conversion

MARK = re.compile(r"#\s*asyncshift:\s*to_thread\b")


def scan(conv: Conversion, line: cst.SimpleStatementLine) -> None:
    """A marked statement: its value's call is to run in a thread (``conv.blocking``)."""
    comment = line.trailing_whitespace.comment
    if comment is None or not MARK.search(comment.value):
        return
    statement = line.body[0] if len(line.body) == 1 else None
    value = getattr(statement, "value", None)
    if isinstance(value, cst.Await):
        return  # converted already
    if isinstance(value, cst.Call):
        conv.blocking.add(id(value))
    else:
        conv.todo("'asyncshift: to_thread' marks a statement whose value is not a call: nothing was moved to a thread")


def call(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """The marked call, in a thread when the function is async after the run; None for any other call."""
    if id(original) not in conv.blocking:
        return None
    if conv.lambdas:
        return updated
    return awaited_calls.in_thread(conv, updated, "is marked 'asyncshift: to_thread'")
