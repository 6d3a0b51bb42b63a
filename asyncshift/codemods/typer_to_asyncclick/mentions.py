"""The first pass's (``project``) walks with ``ast``, and which top-level statements they need.

They look for names (``add_typer``, ``command``, ``Typer``); a statement whose own lines do not hold
the name cannot have it, so it is left out of the walk, and the walk keeps ``ast.walk``'s order.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator

CALL_WORDS = ("add_typer", "command")  # what ``project._call`` looks for


class Lines:
    """Whether a top-level statement's own lines hold a word: the words of a name the first pass looks for
    (an identifier is spelled in full in the text when the text is ASCII). Where a line number could mean
    another line than ``text.split("\\n")``'s (a carriage return) or a name could be spelled in other
    letters (not ASCII), every statement may hold every word."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n") if text.isascii() and "\r" not in text else None

    def mention(self, statement: ast.stmt, words: tuple[str, ...]) -> bool:
        if self.lines is None:
            return True
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        own = "\n".join(self.lines[first - 1 : statement.end_lineno])
        return any(word in own for word in words)


def walk_statements(statements) -> Iterator[ast.AST]:
    """``ast.walk(module)`` without the module and the statements left out, in ``ast.walk``'s order (breadth
    first: leaving out whole statements does not reorder the rest)."""
    todo = deque(statements)
    while todo:
        node = todo.popleft()
        todo.extend(ast.iter_child_nodes(node))
        yield node


def returns_typer(func: ast.AST, typer) -> tuple[str, ...] | None:
    """The keywords of the ``typer.Typer(...)`` the function returns, or None when it returns none
    (``typer``: the module's typer names, a ``project._Typer``)."""
    for n in ast.walk(func):
        if isinstance(n, ast.Return) and isinstance(n.value, ast.Call) and typer.is_typer(n.value.func, "Typer"):
            return tuple(k.arg for k in n.value.keywords if k.arg)
    return None
