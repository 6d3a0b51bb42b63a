"""A statement the conversion drops keeps the user's comments: the lines above it and its trailing comment.

A rule dropping a line (``t.start()`` of a task, ``s.begin(subtransactions=True)``) returns ``drop(conv, line)``:
a ``pass`` marked by a numbered trailing comment, its comments kept aside. When its block is left, ``KeptComments``
folds each such placeholder away: its comments go above the next statement of the block, else into the block's
footer, and a block left with no statement keeps a ``pass`` under them (never an empty block). TODOs the line
gathered go with it, as when it was removed outright.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

MARK = "# asyncshift: dropped line "


def drop(conv: Any, line: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    """The placeholder for ``line``, dropped; its comments kept aside until its block is left."""
    kept = conv.__dict__.setdefault("_dropped_comments", {})
    comments = list(line.leading_lines)
    if line.trailing_whitespace.comment is not None:
        comments.append(cst.EmptyLine(comment=line.trailing_whitespace.comment))
    key = len(kept)
    kept[key] = comments
    mark = cst.TrailingWhitespace(whitespace=cst.SimpleWhitespace("  "), comment=cst.Comment(f"{MARK}{key}"))
    return cst.SimpleStatementLine([cst.Pass()], trailing_whitespace=mark)


def _key(statement: cst.BaseStatement) -> int | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    comment = statement.trailing_whitespace.comment
    if not isinstance(statement.body[0], cst.Pass) or comment is None or not comment.value.startswith(MARK):
        return None
    return int(comment.value[len(MARK) :])


def _fold(conv: Any, block: Any, empty_ok: bool) -> Any:
    kept_aside = conv.__dict__.get("_dropped_comments", {})
    body: list[cst.BaseStatement] = []
    carried: list[cst.EmptyLine] = []
    for statement in block.body:
        key = _key(statement)
        if key is not None and key in kept_aside:
            carried.extend(kept_aside[key])
            continue
        if carried:
            statement = statement.with_changes(leading_lines=[*carried, *statement.leading_lines])
            carried = []
        body.append(statement)
    if len(body) == len(block.body):
        return block
    if not carried:
        return block.with_changes(body=body)
    if body or empty_ok:
        return block.with_changes(body=body, footer=[*carried, *block.footer])
    return block.with_changes(body=[cst.SimpleStatementLine([cst.Pass()], leading_lines=carried)])


class KeptComments:
    """The transformer's side: each block folds the placeholders of its dropped lines away when it is left."""

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        return _fold(self, updated, empty_ok=False)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return _fold(self, updated, empty_ok=True)
