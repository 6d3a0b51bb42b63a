"""Session calls of SQLAlchemy 1.3 that the ``AsyncSession`` has no twin for, written as 1.4 and 2.0 run them.

- ``session.bulk_save_objects(objects)`` (and ``bulk_insert_mappings``, ``bulk_update_mappings``): the AsyncSession
  has none (``AttributeError``); the sync session it wraps runs it, ``await session.run_sync(lambda sync_session:
  sync_session.bulk_save_objects(objects))``. A scoped session's is its current session's (``session().run_sync``):
  ``async_scoped_session`` has no ``run_sync``.
- ``session.begin(nested=True)``: ``await session.begin_nested()``; 1.4's ``AsyncSession.begin`` takes keywords and
  ignores them (a plain transaction: 'A transaction is already begun'), 2.0's takes none.
- ``session.begin(subtransactions=True)`` alone on its line: 1.3's subtransaction, gone from the AsyncSession. It
  begins a transaction only where none is under way, and a 1.4/2.0 session begins one on its own at its first use
  (autobegin), so the line is dropped (awaited, it raised 'A transaction is already begun'); the report says that a
  ``commit()`` after it now commits the whole transaction, where 1.3's closed the subtransaction only. Where its
  transaction is kept (``t = s.begin(subtransactions=True)``) a TODO says what to do. Its comments stay
  (``dropped_lines``).
- ``with s.begin(subtransactions=True):`` made ``async with`` (the same 'already begun' on 1.4): unwrapped, its
  block runs in the session's own transaction (a note says its end no longer commits); ``as t`` gets a TODO.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import dropped_lines
from codemods.sqlalchemy_to_async.conversion import Conversion

BULK = {"bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings"}
SESSION_KINDS = {"session", "scoped"}


def _method(conv: Conversion, original: cst.Call) -> tuple[str, str] | None:
    """(kind, method) of a call on a session the run types (``db.session`` is a scoped one), else None."""
    found = conv.type_of(original.func) or ""
    if not found.startswith("sqlmethod:"):
        return None
    _, kind, method = found.split(":")
    return (kind, method) if kind in SESSION_KINDS else None


def _flag(call: cst.Call, name: str) -> bool:
    """``name=True`` among the call's keywords (a literal: a variable's value is not known here)."""
    return any(
        a.keyword is not None and a.keyword.value == name and isinstance(a.value, cst.Name) and a.value.value == "True"
        for a in call.args
    )


def _other_keywords(call: cst.Call, name: str) -> bool:
    return any(a.keyword is None or a.keyword.value != name for a in call.args)


def call(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.Call:
    """The call the awaited one becomes: a bulk method through ``run_sync``, ``begin(nested=True)`` as
    ``begin_nested()``; ``begin(subtransactions=True)`` gets its TODO (dropped with its line: ``statement``)."""
    found = _method(conv, original)
    if found is None or not isinstance(updated.func, cst.Attribute):
        return updated
    kind, method = found
    receiver = updated.func.value
    if method in BULK:
        name = _free_name(conv.module.code_for_node(updated))
        inner = updated.with_changes(func=cst.Attribute(cst.Name(name), cst.Name(method)))
        lambda_ = cst.Lambda(cst.Parameters([cst.Param(cst.Name(name))]), inner)
        owner = cst.Call(receiver) if kind == "scoped" else receiver
        conv.notes.note(f"'{method}' has no AsyncSession twin: it runs on the sync session through run_sync")
        return cst.Call(cst.Attribute(owner, cst.Name("run_sync")), args=[cst.Arg(lambda_)])
    if method == "begin" and _flag(updated, "nested") and not _other_keywords(updated, "nested"):
        return cst.Call(cst.Attribute(receiver, cst.Name("begin_nested")))
    if method == "begin" and _flag(updated, "subtransactions"):
        label = conv.module.code_for_node(original)
        conv.todo(
            f"'{label}': the AsyncSession has no subtransactions (SQLAlchemy 1.4/2.0) and begins on its own; "
            "begin() fails once a transaction is under way: begin only where session.in_transaction() is false"
        )
    return updated


def _free_name(code: str) -> str:
    name = "sync_session"
    while name in code:
        name += "_"
    return name


def statement(conv: Conversion, original: cst.Expr, updated: cst.Expr) -> cst.Expr | cst.RemovalSentinel:
    """``s.begin(subtransactions=True)`` alone on its line, made a coroutine (awaited): dropped, with a note."""
    call_ = original.value
    if not isinstance(call_, cst.Call) or updated.value.deep_equals(call_):
        return updated  # code that stays sync keeps 1.3's call
    found = _method(conv, call_)
    if found is None or found[1] != "begin" or not _flag(call_, "subtransactions"):
        return updated
    conv.notes.note(
        f"'{conv.module.code_for_node(call_)}' dropped: the AsyncSession begins a transaction on its own and has no "
        "subtransactions; a commit() after it commits the whole transaction, where 1.3's closed the subtransaction"
    )
    return cst.RemovalSentinel.REMOVE


def with_block(conv: Conversion, original: cst.With, updated: cst.With) -> cst.With | cst.FlattenSentinel:
    """``with s.begin(subtransactions=True):`` made ``async with`` (1.4's begin raised 'already begun'): its body
    runs in the session's own transaction, as the plain form's; ``as t`` (the transaction used) keeps its TODO."""
    if original.asynchronous is not None or updated.asynchronous is None or len(original.items) != 1:
        return updated
    item = original.items[0]
    call_ = item.item
    found = _method(conv, call_) if isinstance(call_, cst.Call) else None
    if found is None or found[1] != "begin" or not _flag(call_, "subtransactions"):
        return updated
    label = conv.module.code_for_node(call_)
    if item.asname is not None:
        conv.todo(
            f"'with {label} as ...': the AsyncSession has no subtransactions (SQLAlchemy 1.4/2.0) and begins on its "
            "own; begin() fails once a transaction is under way: run the block in the session's transaction"
        )
        return updated
    if conv.todo_stack:  # the TODO ``call`` gave the kept transaction: there is none now
        conv.todo_stack[-1][:] = [t for t in conv.todo_stack[-1] if not t.startswith(f"'{label}': ")]
    conv.notes.note(
        f"'with {label}' unwrapped: its block runs in the session's own transaction (no subtransactions on the "
        "AsyncSession); the block's end no longer commits it where it was the outermost: a commit() does"
    )
    comments = list(updated.leading_lines)
    header = updated.body.header if isinstance(updated.body, cst.IndentedBlock) else updated.body.trailing_whitespace
    if header.comment is not None:
        comments.append(cst.EmptyLine(comment=header.comment))
    if isinstance(updated.body, cst.SimpleStatementSuite):
        body: list[cst.BaseStatement] = [cst.SimpleStatementLine(updated.body.body)]
    else:
        body = list(updated.body.body)
        footer = [line for line in updated.body.footer if line.comment is not None]
        if footer:
            body.append(dropped_lines.drop(conv, cst.SimpleStatementLine([cst.Pass()], leading_lines=footer)))
    body[0] = body[0].with_changes(leading_lines=[*comments, *body[0].leading_lines])
    return cst.FlattenSentinel(body)
