"""``from pkg import db`` gives what ``pkg/__init__.py`` binds to ``db``, not the submodule ``pkg/db.py``.

Importing ``pkg.db`` sets the package's attribute ``db`` to the submodule; a package that then says ``from .db import
db`` (or ``db = ...``, ``def db``, ``class db``) rebinds that attribute, and every ``from pkg import db`` elsewhere gets
the value. Read as the submodule, the ``db`` of every module importing it that way had no type: its ``db.session``
calls were left sync, with no TODO.

The other way round, ``import pkg.mod`` binds ``pkg`` and ``pkg.mod.f(...)`` reads the submodule on the package: a
package that binds no ``mod`` gives the run's submodule. Read as nothing, a call of a function made async there was
left unawaited (a test's ``pkg.messaging.previous(result)``: a coroutine never awaited, no TODO).
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async.fact_records import ModuleFacts


def hides_submodule(package: ModuleFacts, name: str, dotted: str) -> bool:
    """Whether ``package`` binds ``name`` (``dotted`` is ``package.name``) to something other than its submodule:
    a variable, a class, a function, or an import of another name (``from . import db`` is the submodule itself)."""
    if any(name in names for names in (package.variables, package.classes, package.functions)):
        return True
    bound = package.bindings.get(name)
    return bound is not None and bound != dotted


def submodule(project: Any, package: str, name: str) -> str | None:
    """``mod:package.name`` when the run has that submodule (the package binding no ``name`` of its own)."""
    dotted = f"{package}.{name}"
    return f"mod:{dotted}" if dotted in project.modules else None
