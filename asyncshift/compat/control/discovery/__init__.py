"""What a project has to move, found by reading its code (``ast``; the project is never imported).

- ``sources``: which files, their dotted names and imports;
- ``web``, ``cli``, ``jobs``, ``layers``: Flask apps and blueprints, Typer/Click command trees and
  console scripts (``scripts``), APScheduler jobs, repositories and services, each with its target;
- ``databases``: every database URL the code reads, by name;
- ``model``: ``Found``, ``FoundDatabase`` and ``Discovery``, what ``asyncshift init`` writes from.
"""

from __future__ import annotations

from pathlib import Path

from .cli import find_cli
from .databases import find_databases
from .jobs import find_jobs
from .layers import find_layers
from .model import PHASES, Discovery, Found, FoundDatabase
from .scripts import find_scripts
from .sources import parse_modules, source_root
from .web import find_web

__all__ = ["PHASES", "Discovery", "Found", "FoundDatabase", "discover"]


def discover(root: Path) -> Discovery:
    """Everything ``asyncshift init`` looks for under the project folder ``root``."""
    root = root.resolve()
    source = source_root(root)
    modules, skipped = parse_modules(root, source)
    scripts = find_scripts(root)
    layers, old = find_layers(modules)
    found = [f for mod in modules for f in find_web(mod)]
    found += scripts + find_cli(modules, scripts)
    jobs = [f for mod in modules for f in find_jobs(mod)]
    seen: set[str | None] = set()
    for job in jobs:  # one target per job, however many places schedule it
        if job.target is None or job.target not in seen:
            found.append(job)
            seen.add(job.target)
    found += layers
    return Discovery(root, source, found, find_databases(modules), old, skipped)
