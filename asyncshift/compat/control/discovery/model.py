"""What ``asyncshift init`` found in a project: each finding with its target, place and evidence.

A finding is kept with the file and line it came from, so the printed summary can be checked by
reading the code, and a target name is only ever derived from what the code itself says (a
blueprint's name, a command's name, a job's id, a module's name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PHASES = ("repositories", "services", "web", "cli", "jobs")  # the migration plan's order

_BAD = re.compile(r"[^A-Za-z0-9_-]+")


def part(name: str) -> str:
    """One dotted-name part from free text: ``"daily archive"`` -> ``daily_archive``."""
    cleaned = _BAD.sub("_", name).strip("_-")
    if not cleaned:
        return "_"
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"_{cleaned}"


@dataclass(frozen=True)
class Found:
    """One thing found: ``kind`` (web-app, web-factory, blueprint, typer, click, script, scheduler,
    job, repository, service), its ``target`` in the flags file (None: wiring, not a target);
    ``code``: the classes (repository, service) or the function (job) it names, for ``wire``."""

    kind: str
    what: str
    where: str
    target: str | None = None
    detail: str = ""
    code: tuple[str, ...] = ()


@dataclass(frozen=True)
class FoundDatabase:
    """One database the application connects to, as its code reads the URL."""

    name: str
    via: str  # create_engine, SQLALCHEMY_DATABASE_URI, SQLALCHEMY_BINDS['x'], environment
    env: tuple[str, ...] = ()  # environment variables read for it, the main one first
    default: str | None = None  # the URL used when none of them is set
    where: tuple[str, ...] = ()
    alternatives: tuple[tuple[str, str | None], ...] = ()  # (env, default) of other config classes


@dataclass
class Discovery:
    """Everything found under ``root`` (the project) by reading ``source_root``'s code."""

    root: Path
    source_root: Path
    found: list[Found] = field(default_factory=list)
    databases: list[FoundDatabase] = field(default_factory=list)
    old: str | None = None  # the folder holding repositories/ and services/, relative to root
    skipped: list[str] = field(default_factory=list)  # files that do not parse: path:line: message

    def of(self, *kinds: str) -> list[Found]:
        return [f for f in self.found if f.kind in kinds]

    def phases(self) -> list[str]:
        """The phases the project has something for, in the plan's order."""
        present = {f.target.split(".")[0] for f in self.found if f.target}
        return [p for p in PHASES if p in present]

    def known_targets(self) -> list[str]:
        """The names for the flags file's ``known_targets``: each target once, phase by phase."""
        names: list[str] = []
        for phase in self.phases():
            for f in self.found:
                if f.target and f.target.split(".")[0] == phase and f.target not in names:
                    names.append(f.target)
        return names
