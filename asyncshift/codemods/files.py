"""Which files a run covers: every ``.py`` under the given paths, each with the path it keeps under ``--out``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SKIP_DIRS = {"__pycache__", "node_modules", "site-packages", "build", "dist"}


@dataclass(frozen=True)
class Target:
    """A file to process: where it is, and where it goes relative to an output folder."""

    path: Path
    relative: Path


def _skipped(name: str) -> bool:
    return name.startswith(".") or name in SKIP_DIRS or name.endswith(".egg-info")


def discover(paths: list[str | Path]) -> list[Target]:
    """Expand files and folders (sorted, deduplicated); hidden folders and virtualenvs are skipped."""
    seen: set[Path] = set()
    targets: list[Target] = []
    for raw in paths:
        root = Path(raw)
        if root.is_dir():
            found = []
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not _skipped(d) and not (Path(folder, d) / "pyvenv.cfg").exists())
                found.extend(Path(folder, f) for f in files if f.endswith(".py"))
            pairs = [(p, p.relative_to(root)) for p in sorted(found)]
        else:
            pairs = [(root, Path(root.name))]
        for path, relative in pairs:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                targets.append(Target(path, relative))
    return targets
