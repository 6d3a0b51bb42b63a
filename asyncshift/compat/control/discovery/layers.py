"""Repositories and services: the modules of the layers that talk to the database, each a target
``repositories.<module>`` or ``services.<module>`` (orchestrators count as services).

A module is one by where it lives (a ``repositories``/``services``/``orchestrators`` folder) or by
its name (``user_repository.py``); elsewhere, a class whose ``__init__`` takes a SQLAlchemy
``Session`` is one too (a repository if its name says so, else a service).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import PurePosixPath

from .model import Found, part
from .sources import Module

FOLDERS = {
    "repositories": "repositories",
    "repository": "repositories",
    "repos": "repositories",
    "dao": "repositories",
    "services": "services",
    "service": "services",
    "orchestrators": "services",
    "orchestrator": "services",
}
SUFFIXES = {
    "_repository": "repositories",
    "_repositories": "repositories",
    "_repo": "repositories",
    "_dao": "repositories",
    "_service": "services",
    "_services": "services",
    "_orchestrator": "services",
}
SESSIONS = frozenset(
    {
        "sqlalchemy.orm.Session",
        "sqlalchemy.orm.session.Session",
        "sqlalchemy.orm.scoped_session",
        "sqlalchemy.orm.scoping.scoped_session",
    }
)
KIND = {"repositories": "repository", "services": "service"}
REPOSITORY_CLASS = ("Repository", "Repo", "Dao", "DAO", "Store")


def _has_code(mod: Module) -> bool:
    return any(isinstance(s, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) for s in mod.tree.body)


def _session_classes(mod: Module) -> list[str]:
    """Classes whose ``__init__`` takes a parameter annotated as a SQLAlchemy ``Session``."""
    found = []
    for cls in mod.tree.body:
        if not isinstance(cls, ast.ClassDef):
            continue
        init = next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
        params = [*init.args.args, *init.args.kwonlyargs] if init else []
        for arg in params:
            note = arg.annotation
            if isinstance(note, ast.Constant) and isinstance(note.value, str):  # "Session | None"
                try:
                    note = ast.parse(note.value, mode="eval").body
                except SyntaxError:
                    note = None
            names = [n for n in ast.walk(note) if isinstance(n, ast.Name | ast.Attribute)] if note else []
            if any(mod.qual(n) in SESSIONS for n in names):
                found.append(cls.name)
                break
    return found


def _uses_sqlalchemy(mod: Module) -> bool:
    return any(v == "sqlalchemy" or v.startswith("sqlalchemy.") for v in mod.imports.values()) or any(
        v.rsplit(".", 1)[-1] in ("SessionLocal", "get_session", "session_scope", "db") for v in mod.imports.values()
    )


def _phase(mod: Module) -> tuple[str | None, int]:
    """The phase a module belongs to by folder or name, and the index of that folder in its path."""
    parts = PurePosixPath(mod.path).parts
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] in FOLDERS:
            return FOLDERS[parts[index]], index
    stem = PurePosixPath(mod.path).stem
    for suffix, phase in SUFFIXES.items():
        if stem.endswith(suffix) and stem != suffix.lstrip("_"):
            return phase, -1
    return None, -1


def find_layers(modules: list[Module]) -> tuple[list[Found], str | None]:
    """The repository and service targets, and the folder holding most of their layer folders
    (``src/core`` when ``src/core/repositories`` and ``src/core/services`` exist): ``old``."""
    rows: list[tuple[str, str, Module, str]] = []  # (phase, short name, module, detail)
    parents: Counter[str] = Counter()
    for mod in modules:
        if mod.path.endswith("__init__.py") or not _has_code(mod):
            continue
        phase, index = _phase(mod)
        sessions = _session_classes(mod)
        if phase is None and sessions:
            phase = "repositories" if all(c.endswith(REPOSITORY_CLASS) for c in sessions) else "services"
        if phase is None:
            continue
        parts = PurePosixPath(mod.path).with_suffix("").parts
        if index >= 0:
            parents[str(PurePosixPath(*parts[:index]))] += 1
        short = ".".join(part(p) for p in parts[index + 1 :]) if index >= 0 else part(parts[-1])
        detail = (
            f"takes a Session: {', '.join(sessions)}"
            if sessions
            else "uses SQLAlchemy"
            if _uses_sqlalchemy(mod)
            else "no SQLAlchemy seen"
        )
        rows.append((phase, short, mod, detail))
    counts = Counter((phase, short) for phase, short, _, _ in rows)
    found = []
    for phase, short, mod, detail in rows:
        name = short if counts[(phase, short)] == 1 else f"{part(mod.package.replace('.', '_'))}.{short}"
        found.append(Found(KIND[phase], mod.name, mod.at(mod.tree), f"{phase}.{name}", detail))
    old = parents.most_common(1)[0][0] if parents else None
    return found, old
