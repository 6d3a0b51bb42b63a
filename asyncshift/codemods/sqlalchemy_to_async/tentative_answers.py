"""The type rules' answers, and the unknowns found while a question is asked tentatively, dropped after it.

``Types.tentative`` asks questions whose unknown answers may only be unknown because a question higher up was
busy (a cycle cut short), so the unknowns it found are not kept. It compared a copy of every answer before with
every answer after, on each call: on a program of a few hundred modules the answers number in the hundred
thousands and a parameter typed by its callers asks tentatively for each one, so a run spent its time copying.
Here the answers stored while a question is open are noted in order, and only those are looked at. Clearing
every answer (``Types.forget``) while one is open falls back on the copy for the questions open then.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

_ABSENT = object()


class Answers(dict):
    """A dict of answers; ``tentative()`` drops the unknowns (None) stored while it is open."""

    def __init__(self) -> None:
        super().__init__()
        self._stored: list = []  # keys stored while a tentative question is open, in order
        self._open: list[list] = []  # per open question: [where its keys start in _stored, answers before or None]

    def __reduce__(self):  # a run with jobs pickles the project to its workers: the answers, no question open
        return _rebuilt, (dict(self),)

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        if self._open:
            self._stored.append(key)

    def clear(self) -> None:
        for question in self._open:  # what each open question found before: what was here, less what it stored
            if question[1] is None:
                question[1] = set(self) - set(self._stored[question[0] :])
        super().clear()

    @contextmanager
    def tentative(self) -> Iterator[None]:
        question = [len(self._stored), None]
        self._open.append(question)
        try:
            yield
        finally:
            self._open.pop()
        start, before = question
        for key in self._stored[start:] if before is None else set(self) - before:
            if self.get(key, _ABSENT) is None:
                del self[key]
        if not self._open:
            self._stored.clear()


def _rebuilt(answers: dict) -> Answers:
    """An ``Answers`` of these answers (unpickled: dict's own would set them before ``__init__``'s lists exist)."""
    rebuilt = Answers()
    dict.update(rebuilt, answers)
    return rebuilt
