"""Which files a run covers: every ``.py`` under the given paths, each with the path it keeps under ``--out``
(and, for ``--out``, every other file there too, to be copied as it is)."""

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
    convert: bool = True  # False: not Python, only copied under ``--out``


def _skipped(name: str) -> bool:
    return name.startswith(".") or name in SKIP_DIRS or name.endswith(".egg-info")


def discover(paths: list[str | Path], *, everything: bool = False) -> list[Target]:
    """Expand files and folders (sorted, deduplicated); hidden folders and virtualenvs are skipped.

    ``everything`` also lists the other files of those folders, with ``convert`` false."""
    seen: set[Path] = set()
    targets: list[Target] = []
    roots: list[Path] = []
    for raw in paths:
        root = Path(raw)
        if root.is_dir():
            found = []
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not _skipped(d) and not (Path(folder, d) / "pyvenv.cfg").exists())
                found.extend(Path(folder, f) for f in files if everything or f.endswith(".py"))
            pairs = [(p, p.relative_to(root), p.name.endswith(".py")) for p in sorted(found)]
        else:
            pairs = [(root, Path(root.name), True)]
        for path, relative, convert in pairs:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                targets.append(Target(path, relative, convert))
                roots.append(root)
    return _apart(targets, roots)


def _apart(targets: list[Target], roots: list[Path]) -> list[Target]:
    """Two roots holding the same relative path (``repositories/base.py``, ``services/base.py``) would be
    written over one another under ``--out``: every file of such a root keeps the root's name in front."""
    first: dict[Path, Path] = {}
    clashing: set[Path] = set()
    for target, root in zip(targets, roots, strict=True):
        other = first.setdefault(target.relative, root)
        if other != root:
            clashing.update((other, root))
    return [
        Target(t.path, Path((root if root.is_dir() else root.parent).name) / t.relative, t.convert)
        if root in clashing
        else t
        for t, root in zip(targets, roots, strict=True)
    ]
