"""What a codemod is: a name, a cheap text pre-check, and one function from tree to tree.

Kept free of I/O so the runner can call it in any process and tests can call it on a string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

TODO_MARKER = "# TODO(asyncshift):"


def attach_todos(node: Any, todos: list[str]) -> Any:
    """``node`` with a ``# TODO(asyncshift): ...`` line above it per todo it does not carry yet; a
    statement replaced by several carries them on the first, a removed one drops them."""
    if isinstance(node, cst.FlattenSentinel) and todos:
        nodes = list(node.nodes)
        nodes[0] = attach_todos(nodes[0], todos)
        return cst.FlattenSentinel(nodes)
    if not todos or not hasattr(node, "leading_lines"):
        return node
    existing = {line.comment.value for line in node.leading_lines if line.comment}
    comments = dict.fromkeys(f"{TODO_MARKER} {_one_line(t)}" for t in todos)
    lines = [cst.EmptyLine(comment=cst.Comment(c)) for c in comments if c not in existing]
    return node.with_changes(leading_lines=[*node.leading_lines, *lines])


def _one_line(text: str) -> str:
    """A TODO quoting code that spans lines (``'with api.commit_or_abort(\\n    db.session, ...)'``) on one line: a
    comment holding a line break is no comment (libcst refused it, and the whole file's conversion failed)."""
    return re.sub(r"\s*[\r\n]\s*", " ", text)


@dataclass
class Notes:
    """What a transform wants the report to say about one file (besides its TODO comments)."""

    messages: list[str] = field(default_factory=list)
    path: str | None = None  # the file's path relative to the run root (forward slashes), when known
    source: str | None = None  # where the file is on disk, to look at its neighbours (``__init__.py``)
    files: dict[str, str] = field(default_factory=dict)  # extra files to write beside it: name -> text
    project: Any = None  # what ``Codemod.discover`` found across every file of the run
    requirements: set[str] = field(default_factory=set)  # PEP 508 strings the new code needs installed

    def note(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)


@dataclass(frozen=True)
class Codemod:
    """One codemod: every transform it has runs in ``transform``, on a tree parsed once."""

    name: str
    summary: str
    needles: tuple[str, ...]
    transform: Callable[[cst.Module, Notes], cst.Module]
    # Optional first pass over the whole run (bump-pydantic style): gets (relative path, path on disk)
    # of every file and returns facts that cross files (must pickle, for -j). Files named in its
    # ``involved`` attribute are processed even without a needle.
    discover: Callable[[list[tuple[str, str]]], Any] | None = None

    def may_apply(self, source: str, project: Any = None, path: str | None = None) -> bool:
        """The cheap pre-check: a file mentioning none of the needles cannot change."""
        return any(needle in source for needle in self.needles) or path in getattr(project, "involved", ())

    def apply(self, source: str, path: str | None = None, project: Any = None) -> tuple[str, Notes]:
        """Parse once, transform, return the new source (tests use this directly)."""
        notes = Notes(path=path, project=project)
        module = cst.parse_module(source)
        return self.transform(module, notes).code, notes
