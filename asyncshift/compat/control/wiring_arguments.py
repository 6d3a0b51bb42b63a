"""How ``asyncshift wire`` gives a service's constructor its arguments, read from the code.

A service whose ``__init__`` needs arguments (``CategoryService(repository)``,
``AuditService(session)``) is still wired: each parameter without a default is resolved from its
name and annotation, in this order, into a spec the written module's ``SERVICE_ARGUMENTS`` holds
and ``compat.control.wiring_services`` builds at run time, one side at a time:

- ``"session"``: a SQLAlchemy session (annotated ``Session``/``AsyncSession``/``scoped_session``,
  or unannotated and named ``session``/``db_session``...): a session on the application's database;
- ``"service:NAME"``: a class that is another wired service: that service's own side;
- ``["module:Class", "twin.module:Class", {parameter: spec}]``: any other class of the project
  with a twin, built the same way (a repository taking a session, a helper taking nothing);
- an abstract base (``ABC``, ``Protocol``, ``@abstractmethod``, named ``Base...``): its one concrete
  subclass in the base's top-level package, when there is exactly one, built as above, and a comment
  in the written module says which it chose; with several, the TODO names them all;
- ``"given"``: anything else (a value, a class without a twin, an abstract base with no or several
  implementations): the caller passes it, ``build(arguments={NAME: {parameter: (old, new)}})``, and
  a TODO names it.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from pathlib import Path

from compat.control.discovery.sources import dotted_name, parsed
from compat.control.wiring import SESSION_PARAMETERS, Plan, definition, module_file, renamed, required

SESSION_TYPES = frozenset({"Session", "AsyncSession", "scoped_session", "async_scoped_session"})
ABSTRACT_BASES = frozenset({"ABC", "ABCMeta", "Protocol"})
GIVEN = "given"
MAX_DEPTH = 3  # a class built to build a class built to build the service


@dataclass
class Arguments:
    """A constructor's parameters as specs, and why each ``"given"`` one could not be built."""

    specs: dict[str, object] = field(default_factory=dict)
    given: dict[str, str] = field(default_factory=dict)  # parameter -> what it is and why the caller gives it
    chosen: dict[str, str] = field(default_factory=dict)  # parameter -> the implementation built for its base


def _init(cls: ast.ClassDef) -> ast.FunctionDef | None:
    return next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)


def _imports_of(root: Path, module: str) -> dict[str, str]:
    path = module_file(root, module)
    read = parsed(root, path) if path is not None else None
    return read[2] if read else {}


def _annotation(arg: ast.arg) -> ast.AST | None:
    note = arg.annotation
    if isinstance(note, ast.Constant) and isinstance(note.value, str):  # "Session" (a forward reference)
        try:
            return ast.parse(note.value, mode="eval").body
        except SyntaxError:
            return None
    return note


def _abstract(cls: ast.ClassDef) -> bool:
    bases = {ast.unparse(b).rpartition(".")[2] for b in cls.bases}
    decorated = any(
        "abstractmethod" in ast.unparse(d) for f in cls.body if isinstance(f, ast.FunctionDef) for d in f.decorator_list
    )
    return bool(bases & ABSTRACT_BASES) or decorated or cls.name.startswith(("Base", "Abstract"))


def constructor_arguments(
    root: Path, spec: str, twins: dict[str, str], services: dict[str, str], depth: int = 0
) -> Arguments:
    """The specs of ``spec``'s (``module:Class``) required constructor parameters; ``services``
    maps each wired service's ``module:Class`` to its name."""
    found = Arguments()
    cls = definition(root, spec)
    init = _init(cls) if isinstance(cls, ast.ClassDef) else None
    if init is None:
        return found
    module = spec.partition(":")[0]
    imports = _imports_of(root, module)
    parameters = {a.arg: a for a in [*init.args.posonlyargs, *init.args.args, *init.args.kwonlyargs]}
    for name in required(init, skip=1):
        note = _annotation(parameters[name])
        dotted = dotted_name(note, imports, module)
        shown = f"{name}: {ast.unparse(note)}" if note is not None else name
        sqlalchemy = (dotted or "").startswith("sqlalchemy.")
        if (sqlalchemy and dotted.rpartition(".")[2] in SESSION_TYPES) or (note is None and name in SESSION_PARAMETERS):
            found.specs[name] = "session"
            continue
        built, why, chosen = _built(root, dotted, twins, services, depth)
        found.specs[name] = built if why is None else GIVEN
        if why is not None:
            found.given[name] = f"{shown} ({why})"
        elif chosen is not None:
            found.chosen[name] = f"{shown}: built with {chosen}, the only implementation of it in the code"
    return found


def implementations(root: Path, dotted: str) -> list[str]:
    """``module.Class`` of every concrete class that names ``dotted`` (``module.Base``) as a base,
    in the base's top-level package."""
    files = tuple((p, p.stat().st_mtime_ns) for p in sorted((root / dotted.split(".")[0]).rglob("*.py")))
    return [spec for spec, bases, abstract in _classes(root, files) if dotted in bases and not abstract]


@functools.cache
def _classes(root: Path, files: tuple[tuple[Path, int], ...]) -> tuple[tuple[str, frozenset[str], bool], ...]:
    """(``module.Class``, its bases as dotted names, abstract?) for each top-level class of ``files``
    (each with its modification time, so an edited file is read again)."""
    found = []
    for path, _ in files:
        read = parsed(root, path)
        if read is None:
            continue
        tree, module, imports = read
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            bases = frozenset(filter(None, (dotted_name(b, imports, module) for b in cls.bases)))
            found.append((f"{module}.{cls.name}", bases, _abstract(cls)))
    return tuple(found)


def _built(
    root: Path, dotted: str | None, twins: dict[str, str], services: dict[str, str], depth: int
) -> tuple[object, str | None, str | None]:
    """A parameter of class ``dotted``: its spec, or why the wiring cannot build it; and, for an
    abstract base, the implementation chosen."""
    if dotted is None:
        return None, "no class annotation says what it is", None
    module, _, name = dotted.rpartition(".")
    spec = f"{module}:{name}"
    if spec in services:
        return f"service:{services[spec]}", None, None
    cls = definition(root, spec) if module else None
    if not isinstance(cls, ast.ClassDef):
        return None, "not a class of the project", None
    if _abstract(cls):
        found = implementations(root, dotted)
        if len(found) != 1:
            named = f": {', '.join(f.rpartition('.')[2] for f in found)}" if found else ""
            return (
                None,
                f"an abstract base with {len(found)} implementations{named}: which is the application's choice",
                None,
            )
        built, why, _ = _built(root, found[0], twins, services, depth)
        if why is not None:
            return None, f"an abstract base; its only implementation, {found[0].rpartition('.')[2]}: {why}", None
        return built, None, found[0]
    new_module = renamed(module, twins)
    if new_module is None or not isinstance(definition(root, f"{new_module}:{name}"), ast.ClassDef):
        return None, f"{name} has no twin", None
    if depth >= MAX_DEPTH:
        return None, "built too deep", None
    inner = constructor_arguments(root, spec, twins, services, depth + 1)
    if inner.given:
        return None, f"{name} needs {', '.join(inner.given)}", None
    return [spec, f"{new_module}:{name}", inner.specs], None, None


def with_arguments(plan: Plan, root: Path, twins: dict[str, str]) -> Plan:
    """Each planned service needing constructor arguments gets their specs; each ``"given"`` one is a
    TODO naming the parameter and how to pass it."""
    services = {pair.old: pair.name for pair in plan.services}
    for pair in plan.services:
        if not pair.needs:
            continue
        found = constructor_arguments(root, pair.old, twins, services)
        pair.arguments = found.specs
        for why in found.chosen.values():
            plan.note("services", f"services.{pair.name}: {pair.old.rpartition(':')[2]} takes {why}")
        for parameter, why in found.given.items():
            plan.todo(
                "services",
                f"services.{pair.name}: {pair.old.rpartition(':')[2]} takes {why}; pass it: "
                f"build(arguments={{{pair.name!r}: {{{parameter!r}: (old, new)}}}})",
            )
    return plan
