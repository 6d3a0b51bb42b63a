"""The project asyncshift works on, as ``[tool.asyncshift]`` in ``pyproject.toml`` describes it.

Verbs that read side-by-side records need a database, and ``status`` needs to know where the old
and the new code live. Both are project facts, so they live with the project::

    [tool.asyncshift]
    database = "admin_assistant.wiring.database:configured_url"   # callable returning a URL, or a URL
    old = "src/admin_assistant/sync"                                # the old stack's package
    new = "src/admin_assistant/aio"                                 # its mirror on the new stack
    compare = "myapp.wiring:build"                                  # builds the dual adapters (compare)

The database is picked as ``--db URL`` > ``$ASYNCSHIFT_DATABASE_URL`` > ``database`` above.
"""

from __future__ import annotations

import importlib
import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_DATABASE = "ASYNCSHIFT_DATABASE_URL"
PYPROJECT = "pyproject.toml"
TABLE = "tool.asyncshift"
KEYS = ("database", "old", "new", "compare", "phases")


class ProjectError(Exception):
    """A ``[tool.asyncshift]`` setting that cannot be used; one line naming the file and the fix."""


@dataclass(frozen=True)
class Project:
    """``[tool.asyncshift]`` of one ``pyproject.toml`` (all optional; ``root`` is its directory)."""

    root: Path
    path: Path | None = None
    database: str | None = None
    old: str | None = None
    new: str | None = None
    compare: str | None = None
    phases: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def where(self, key: str) -> str:
        return f"{self.path or PYPROJECT} [{TABLE}] {key}"


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` (the working directory by default)."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / PYPROJECT
        if candidate.is_file():
            return candidate
    return None


def load_project(start: Path | None = None) -> Project:
    """Read ``[tool.asyncshift]``; a project without one gets every setting unset."""
    path = find_pyproject(start)
    if path is None:
        return Project(root=(start or Path.cwd()).resolve())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{path}: not valid TOML ({exc}); fix the syntax there") from None
    table = data.get("tool", {}).get("asyncshift", {})
    if not isinstance(table, dict):
        raise ProjectError(f"{path}: [{TABLE}] must be a table of settings")
    for key in table:
        if key not in KEYS:
            raise ProjectError(f"{path}: unknown key '{key}' in [{TABLE}]; use one of {', '.join(KEYS)}")
    phases = table.get("phases", ())
    if not isinstance(phases, list | tuple) or not all(isinstance(p, str) for p in phases):
        raise ProjectError(f'{path}: [{TABLE}] phases must be a list of names, like ["repositories", "web"]')
    return Project(
        root=path.parent,
        path=path,
        database=table.get("database"),
        old=table.get("old"),
        new=table.get("new"),
        compare=table.get("compare"),
        phases=tuple(phases),
    )


def load_callable(spec: str, where: str) -> Any:
    """Import ``module:attribute`` (the project's own ``src/`` is put on the path first)."""
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise ProjectError(f"{where} = {spec!r}: write it as 'package.module:callable'")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ProjectError(
            f"{where} = {spec!r}: cannot import {module_name} ({exc}); "
            "install the project (pip install -e .) or fix the name"
        ) from None
    target: Any = module
    for part in attribute.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise ProjectError(f"{where} = {spec!r}: {module_name} has no '{attribute}'") from None
    return target


def _add_src(project: Project) -> None:
    src = project.root / "src"
    if src.is_dir() and str(src) not in sys.path:
        sys.path.append(str(src))


def database_url(explicit: str | None = None, project: Project | None = None) -> tuple[str, str] | None:
    """``(url, where it came from)``: ``--db`` > ``$ASYNCSHIFT_DATABASE_URL`` > the project's
    ``database`` (a URL, or ``module:callable`` returning one); None when nothing is configured."""
    if explicit:
        return explicit, "--db"
    if os.environ.get(ENV_DATABASE):
        return os.environ[ENV_DATABASE], ENV_DATABASE
    project = project or load_project()
    spec = project.database
    if not spec:
        return None
    where = project.where("database")
    if "://" in spec:
        return spec, where
    _add_src(project)
    url = load_callable(spec, where)
    url = url() if callable(url) else url
    if not isinstance(url, str) or not url:
        raise ProjectError(f"{where} = {spec!r} gave {url!r}, not a database URL")
    return url, where


def compare_hook(project: Project | None = None) -> Any:
    """The callable named by ``compare``, which builds the application's dual adapters."""
    project = project or load_project()
    if not project.compare:
        raise ProjectError(
            f"{project.path or PYPROJECT}: no 'compare' in [{TABLE}]; add compare = \"yourapp.wiring:build\" "
            "naming a callable that takes a compat.db.Database and returns the dual adapters"
        )
    _add_src(project)
    return load_callable(project.compare, project.where("compare"))
