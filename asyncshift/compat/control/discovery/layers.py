"""Repositories and services: the classes of the layers that talk to the database, each a target
``repositories.<module>`` or ``services.<module>`` (orchestrators count as services); a module
holding several is one target per class, ``repositories.<module>.<class>``.

Where a module lives says which layer it is in (a ``repositories``/``services``/``orchestrators``
folder, or a name like ``user_repository.py``); which of its classes count is decided by evidence
in the class itself, never by the folder alone (the rule, in ``component_evidence``):

- a repository holds a database session: its ``__init__`` takes one (a parameter annotated as a
  SQLAlchemy ``Session``, or named ``session``/``db_session``/``db``) or it keeps one
  (``self.session = ...``);
- a service holds a session the same way, or is named as one (``...Service``,
  ``...Orchestrator``, ``...Runner``);
- never: abstract bases (``ABC``, ``Protocol``, ``Base...``/``Abstract...``, ``@abstractmethod``),
  enums, exceptions, and helpers or factories without that evidence.

Outside the layer folders, a class whose ``__init__`` takes a parameter annotated as a SQLAlchemy
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
SESSION_NAMES = frozenset({"session", "db_session", "dbsession", "db", "_session", "_db"})
SERVICE_CLASS = ("Service", "Orchestrator", "Runner")
NOT_COMPONENTS = ("ABC", "ABCMeta", "Protocol", "Enum", "IntEnum", "StrEnum", "Exception", "TypedDict", "NamedTuple")
KIND = {"repositories": "repository", "services": "service"}
REPOSITORY_CLASS = ("Repository", "Repo", "Dao", "DAO", "Store")


def _init(cls: ast.ClassDef) -> ast.FunctionDef | None:
    return next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)


def _annotated_session(mod: Module, arg: ast.arg) -> bool:
    note = arg.annotation
    if isinstance(note, ast.Constant) and isinstance(note.value, str):  # "Session | None"
        try:
            note = ast.parse(note.value, mode="eval").body
        except SyntaxError:
            note = None
    names = [n for n in ast.walk(note) if isinstance(n, ast.Name | ast.Attribute)] if note else []
    return any(mod.qual(n) in SESSIONS for n in names)


def _session_classes(mod: Module) -> list[str]:
    """Classes whose ``__init__`` takes a parameter annotated as a SQLAlchemy ``Session``."""
    found = []
    for cls in mod.tree.body:
        init = _init(cls) if isinstance(cls, ast.ClassDef) else None
        params = [*init.args.args, *init.args.kwonlyargs] if init else []
        if any(_annotated_session(mod, arg) for arg in params):
            found.append(cls.name)
    return found


def _not_a_component(cls: ast.ClassDef) -> bool:
    """Abstract bases, enums, exceptions: never a repository or a service themselves."""
    bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in cls.bases}
    if bases & set(NOT_COMPONENTS) or any(b.endswith(("Error", "Exception")) for b in bases):
        return True
    if cls.name.startswith(("Base", "Abstract")) or cls.name.endswith(("Error", "Exception")):
        return True
    return any(
        isinstance(d, ast.Name | ast.Attribute) and ast.unparse(d).endswith("abstractmethod")
        for item in cls.body
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
        for d in item.decorator_list
    )


def _session_evidence(mod: Module, cls: ast.ClassDef) -> str | None:
    """How the class holds a session: ``takes a Session``, ``takes session``, ``keeps self.session``."""
    init = _init(cls)
    params = [*init.args.args[1:], *init.args.kwonlyargs] if init else []
    if any(_annotated_session(mod, arg) for arg in params):
        return "takes a Session"
    named = next((arg.arg for arg in params if arg.arg in SESSION_NAMES), None)
    if named:
        return f"takes {named}"
    for node in ast.walk(cls):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                    and target.attr in SESSION_NAMES
                ):
                    return f"keeps self.{target.attr}"
    return None


def component_evidence(mod: Module, cls: ast.ClassDef, phase: str) -> str | None:
    """Why ``cls`` is a repository/service of ``phase`` (None: it is not one). See the module's rule."""
    if _not_a_component(cls):
        return None
    held = _session_evidence(mod, cls)
    if held:
        return held
    if phase == "services" and cls.name.endswith(SERVICE_CLASS):
        return f"named ...{next(s for s in SERVICE_CLASS if cls.name.endswith(s))}"
    return None


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


def _components(mod: Module, phase: str | None) -> tuple[str | None, list[tuple[str, str]]]:
    """The module's phase and its (class, evidence) components."""
    if phase is not None:
        found = []
        for cls in mod.tree.body:
            if isinstance(cls, ast.ClassDef):
                why = component_evidence(mod, cls, phase)
                if why:
                    found.append((cls.name, why))
        return phase, found
    sessions = _session_classes(mod)
    if not sessions:
        return None, []
    phase = "repositories" if all(c.endswith(REPOSITORY_CLASS) for c in sessions) else "services"
    return phase, [(c, "takes a Session") for c in sessions]


def _detail(mod: Module, components: list[tuple[str, str]]) -> str:
    sessions = [c for c, why in components if why == "takes a Session"]
    if sessions and len(sessions) == len(components):  # the rule outside the folders, as before
        return f"takes a Session: {', '.join(sessions)}"
    shown = "; ".join(f"{c}: {why}" for c, why in components)
    if not any(why.startswith(("takes", "keeps")) for _, why in components):
        shown += ", uses SQLAlchemy" if _uses_sqlalchemy(mod) else ", no SQLAlchemy seen"
    return shown


def find_layers(modules: list[Module]) -> tuple[list[Found], str | None]:
    """The repository and service targets, and the folder holding most of their layer folders
    (``src/core`` when ``src/core/repositories`` and ``src/core/services`` exist): ``old``."""
    rows: list[tuple[str, str, Module, list[tuple[str, str]]]] = []  # (phase, short name, module, classes)
    parents: Counter[str] = Counter()
    for mod in modules:
        if mod.path.endswith("__init__.py"):
            continue
        folder_phase, index = _phase(mod)
        phase, components = _components(mod, folder_phase)
        if phase is None or not components:
            continue
        parts = PurePosixPath(mod.path).with_suffix("").parts
        if index >= 0:
            parents[str(PurePosixPath(*parts[:index]))] += 1
        short = ".".join(part(p) for p in parts[index + 1 :]) if index >= 0 else part(parts[-1])
        rows.append((phase, short, mod, components))
    counts = Counter((phase, short) for phase, short, _, _ in rows)
    found = []
    for phase, short, mod, components in rows:
        name = short if counts[(phase, short)] == 1 else f"{part(mod.package.replace('.', '_'))}.{short}"
        if len(components) == 1:
            found.append(
                Found(
                    KIND[phase],
                    mod.name,
                    mod.at(mod.tree),
                    f"{phase}.{name}",
                    _detail(mod, components),
                    (components[0][0],),
                )
            )
            continue
        for cls, why in components:  # several in one module: one target each
            found.append(
                Found(
                    KIND[phase],
                    mod.name,
                    mod.at(mod.tree),
                    f"{phase}.{name}.{part(cls)}",
                    _detail(mod, [(cls, why)]),
                    (cls,),
                )
            )
    old = parents.most_common(1)[0][0] if parents else None
    return found, old
