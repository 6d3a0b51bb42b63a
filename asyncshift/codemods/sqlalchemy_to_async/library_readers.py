"""A library call that reads the attributes of the models it is handed, in sync code, reached from a coroutine or
from a function held sync, runs in SQLAlchemy's greenlet.

Flask-RESTful's (flask-restx's) ``marshal(obj, fields)`` reads every field of ``obj``, relationships included, and
a marshmallow schema's ``dump(obj)`` does the same: sync reads, each a lazy load on an object whose relationship is
not loaded (eager or not, an object made and flushed loads it on read). Under an AsyncSession such a load outside
the greenlet raised ``MissingGreenlet``. So, where such a call (or a sync function of the run that makes one, near
or far: a Resource mixin's ``to_json`` marshalling what it is handed) is called from:

- a coroutine -> ``await greenlet_spawn(marshal, obj, fields)``, ``await greenlet_spawn(self.to_json, obj)``;
- a function held sync whose coroutines run to their end there (``held_chains``: a class-based view Flask calls
  without awaiting, a unittest test, a click command) -> ``_on_serving_loop(greenlet_spawn(self.to_json, obj))``
  (``_run_to_end(...)`` in a test or a command).

Inside the function so called the calls stay as they are: they run in the greenlet already. A sync function of the
run reading a loading relationship off a model it is handed (``param_reads``) is such a function too.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import held_chains, param_reads

# library functions reading the attributes of what they are handed
READERS = {f"{package}.marshal" for package in ("flask_restful", "flask_restx", "flask_restplus")}
# ``schema.dump(obj)`` on an instance of a class built on one of these packages' schemas
SCHEMA_PACKAGES = ("marshmallow", "marshmallow_sqlalchemy", "flask_marshmallow", "marshmallow_jsonapi")
SCHEMA_METHODS = {"dump", "dumps"}


def call(conv: Any, original: cst.Call, updated: cst.Call, spawned: Any, lazy: Any, props: Any) -> Any:
    """``marshal(...)``, ``schema.dump(...)`` or a sync function of the run making one, or reading a loading
    relationship off a model it is handed (``param_reads``), called where a lazy load cannot run (``lazy``: the
    relationships of the run that load on read, ``props``: its properties reading one): in the greenlet
    (``spawned``, ``await greenlet_spawn(...)``), run to its end there where the function is held."""
    if id(original) in conv.awaited or not conv.project.does_io or not lazy:
        return None
    held = not conv.awaitable() and held_chains.runs_here(conv)
    if not conv.awaitable() and not held:
        return None
    found = conv.type_of(original.func) or ""
    own = found.startswith("func:") and found[5:] in readers(conv.project, lazy, props)
    if not (own or _reads(conv, original.func, found) or _untyped_reader(conv, original.func, found, lazy, props)):
        return None
    conv.notes.note(
        f"{conv.module.code_for_node(original.func)}() reads the attributes of the models it is handed (their "
        "relationships load on read): run in SQLAlchemy's greenlet"
    )
    read = spawned(conv, updated.func, list(updated.args), updated)
    return held_chains.to_end(conv, read) if held else read


def _untyped_reader(conv: Any, func: cst.BaseExpression, found: str, lazy: Any, props: Any) -> bool:
    """``node.build_dict(node)`` on a value of unknown type (a row of a query's list), where every method of that
    name in the run's classes is such a function."""
    if found or not isinstance(func, cst.Attribute):
        return False
    methods = conv.project.methods_named(func.attr.value)
    return bool(methods) and all(m.id in readers(conv.project, lazy, props) for m in methods)


def _reads(conv: Any, func: cst.BaseExpression, found: str) -> bool:
    """The library's reader itself: ``marshal``, or ``dump`` on a schema instance."""
    if found.startswith("ref:") and found[4:] in READERS:
        return True
    if not isinstance(func, cst.Attribute) or func.attr.value not in SCHEMA_METHODS:
        return False
    return _is_schema(conv.project, conv.type_of(func.value) or "")


def _is_schema(project: Any, kind: str) -> bool:
    if not kind.startswith("inst:"):
        return False
    module, _, qualname = kind[5:].partition(":")
    return any(base.partition(".")[0] in SCHEMA_PACKAGES for base in project.outside_bases(module, qualname))


def readers(project: Any, lazy: dict[str, set[str]], props: dict[str, set[str]]) -> set[str]:
    """The ids of the run's sync functions making such a call or reading a loading relationship off a parameter
    (``param_reads``), or calling one that does (not those held sync: Flask, unittest or click call them, where the
    call is rewritten)."""
    found = getattr(project.types, "_library_readers", None)
    if found is not None:
        return found
    found = project.types._library_readers = set(param_reads.readers(project, lazy, props))
    calls: dict[str, set[str]] = {}  # a sync function's id -> the run's sync functions it calls
    for module in project.modules.values():
        for func in module.functions.values():
            if func.is_async or project.is_async(func.id) or func.id in project.held_sync:
                continue
            for expr in func.calls:
                kind = project.types.type_of(module.name, func.qualname, expr) or ""
                if kind.startswith("ref:") and kind[4:] in READERS or _schema_call(project, module.name, func, expr):
                    found.add(func.id)
                elif kind.startswith("func:"):
                    calls.setdefault(kind[5:], set()).add(func.id)
    pending = list(found)
    while pending:
        for caller in calls.get(pending.pop(), ()):
            if caller not in found:
                found.add(caller)
                pending.append(caller)
    return found


def _schema_call(project: Any, module: str, func: Any, expr: Any) -> bool:
    if not (expr and expr[0] == "attr" and expr[2] in SCHEMA_METHODS):
        return False
    return _is_schema(project, project.types.type_of(module, func.qualname, expr[1]) or "")
