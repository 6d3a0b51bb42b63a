"""The project asyncshift works on, as ``[tool.asyncshift]`` in ``pyproject.toml`` describes it.

Verbs that read side-by-side records need a database, and ``status`` needs to know where the old
and the new code live. Both are project facts, so they live with the project::

    [tool.asyncshift]
    database = "admin_assistant.wiring.database:configured_url"   # callable returning a URL, or a URL
    old = "src/admin_assistant/sync"                                # the old stack's package
    new = "src/admin_assistant/aio"                                 # its mirror on the new stack
    compare = "myapp.wiring:build"                                  # builds the dual adapters (compare)
    web = ["myapp.web:create_app"]                                  # the Flask app(s) or factories
    cli = ["myapp.cli:app"]                                         # the Typer / Click program(s)

    [tool.asyncshift.databases]                                     # the application's own databases
    core = { env = "CORE_DATABASE_URL", default = "sqlite:///core.db" }
    web = "postgresql://app@db/web"                                 # or a URL, or "module:callable"

``database`` is where the toolkit keeps its own tables (side-by-side records, job claims), created
by the toolkit, never by the application's migrations; it is picked as ``--db URL`` >
``$ASYNCSHIFT_DATABASE_URL`` > ``database`` above. ``databases`` names each database the
application reads (``asyncshift init`` finds them), for wiring that needs more than one.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_DATABASE = "ASYNCSHIFT_DATABASE_URL"
PYPROJECT = "pyproject.toml"
TABLE = "tool.asyncshift"
KEYS = ("database", "databases", "old", "new", "compare", "phases", "web", "cli")
SPEC_KEYS = ("env", "default")  # a database given as { env = "VAR", default = "URL" }
DATABASE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class ProjectError(Exception):
    """A ``[tool.asyncshift]`` setting that cannot be used; one line naming the file and the fix."""


@dataclass(frozen=True)
class Project:
    """``[tool.asyncshift]`` of one ``pyproject.toml`` (all optional; ``root`` is its directory)."""

    root: Path
    path: Path | None = None
    database: str | dict[str, Any] | None = None
    databases: dict[str, str | dict[str, Any]] = field(default_factory=dict)
    old: str | None = None
    new: str | None = None
    compare: str | None = None
    phases: tuple[str, ...] = ()
    web: tuple[str, ...] = ()
    cli: tuple[str, ...] = ()
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
    for key in ("web", "cli"):
        value = table.get(key, ())
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ProjectError(f'{path}: [{TABLE}] {key} must be a list of "package.module:object" names')
    if "database" in table:
        _check_spec(table["database"], f"{path}: [{TABLE}] database")
    databases = table.get("databases", {})
    if not isinstance(databases, dict):
        raise ProjectError(f'{path}: [{TABLE}] databases must be a table, like [{TABLE}.databases] core = "URL"')
    for name, spec in databases.items():
        if not DATABASE_NAME.match(name):
            raise ProjectError(
                f"{path}: [{TABLE}.databases] {name!r} is not a usable name; use letters, digits, _ or -"
            )
        _check_spec(spec, f"{path}: [{TABLE}.databases] {name}")
    return Project(
        root=path.parent,
        path=path,
        database=table.get("database"),
        databases=dict(databases),
        old=table.get("old"),
        new=table.get("new"),
        compare=table.get("compare"),
        phases=tuple(phases),
        web=tuple(table.get("web", ())),
        cli=tuple(table.get("cli", ())),
    )


def _check_spec(spec: Any, where: str) -> None:
    """A database is a URL, ``module:callable``, or ``{ env = "VAR" | ["VAR", ...], default = "URL" }``."""
    if isinstance(spec, str) and spec:
        return
    if isinstance(spec, dict) and spec and set(spec) <= set(SPEC_KEYS):
        env = spec.get("env", [])
        names = [env] if isinstance(env, str) else env
        if isinstance(names, list) and all(isinstance(n, str) and n for n in names):
            if isinstance(spec.get("default", ""), str) and (names or spec.get("default")):
                return
    raise ProjectError(
        f'{where}: write a URL, "package.module:callable", or {{ env = "VAR", default = "URL" }} '
        "(the first variable set wins, else the default)"
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


def database_url(
    explicit: str | None = None, project: Project | None = None, name: str | None = None
) -> tuple[str, str] | None:
    """``(url, where it came from)``: ``--db`` > ``$ASYNCSHIFT_DATABASE_URL`` > the project's
    ``database`` (a URL, ``module:callable`` returning one, or ``{env, default}``); None when
    nothing is configured. With ``name``: the application's database of that name instead (from
    ``[tool.asyncshift.databases]``; ``--db`` still wins, the toolkit's variable does not)."""
    if explicit:
        return explicit, "--db"
    if name is None and os.environ.get(ENV_DATABASE):
        return os.environ[ENV_DATABASE], ENV_DATABASE
    project = project or load_project()
    if name is not None:
        if name not in project.databases:
            known = ", ".join(project.databases) or "none"
            raise ProjectError(
                f"{project.path or PYPROJECT}: no database '{name}' in [{TABLE}.databases] (known: {known}); "
                "add it there or run 'asyncshift init --force'"
            )
        return _resolve(project.databases[name], f"{project.where('databases')}.{name}", project)
    if not project.database:
        return None
    return _resolve(project.database, project.where("database"), project)


def database_urls(project: Project | None = None) -> dict[str, tuple[str, str]]:
    """Every database of ``[tool.asyncshift.databases]``: name -> ``(url, where it came from)``."""
    project = project or load_project()
    found = {}
    for name in project.databases:
        resolved = database_url(project=project, name=name)
        if resolved is not None:
            found[name] = resolved
    return found


def _resolve(spec: str | dict[str, Any], where: str, project: Project) -> tuple[str, str] | None:
    if isinstance(spec, dict):
        env = spec.get("env", [])
        for variable in [env] if isinstance(env, str) else env:
            if os.environ.get(variable):
                return os.environ[variable], f"${variable} ({where})"
        if spec.get("default"):
            return spec["default"], f"{where} default"
        return None
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
