"""The first pass over every file of a run: which top-level functions of scheduler modules other files name.

A job function becomes ``async def`` only if nothing else calls it (see ``colour``); a call can be
in another file, so the run is read once, as text (fast; the facts must pickle).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_DEF = re.compile(r"^def\s+([A-Za-z_]\w*)", re.M)
NEEDLES = ("apscheduler", "APScheduler")


@dataclass
class Project:
    used_elsewhere: dict[str, set[str]] = field(default_factory=dict)  # relative path -> its names other files use

    def names_used_elsewhere(self, relative: str | None) -> set[str]:
        return self.used_elsewhere.get(relative or "", set())


def discover(files: list[tuple[str, str]]) -> Project:
    texts: dict[str, str] = {}
    for relative, path in files:
        try:
            texts[relative] = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    project = Project()
    for relative, text in texts.items():
        if not any(needle in text for needle in NEEDLES):
            continue
        candidates = set(_DEF.findall(text))
        used = set()
        for other, other_text in texts.items():
            if other != relative:
                used |= {name for name in candidates if re.search(rf"\b{re.escape(name)}\b", other_text)}
        project.used_elsewhere[relative] = used
    return project
