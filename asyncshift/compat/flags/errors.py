"""What is wrong with a flags file, and where: every problem is one ``file:line: problem; fix`` line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a flags file, where it is, and how to fix it."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class FlagsError(ValueError):
    """A flags file (or an edit to it) that would not validate; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = tuple(problems) if isinstance(problems, list) else (problems,)
        first = str(self.problems[0])
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more problem{'s' * (more > 1)})" if more else ""))
