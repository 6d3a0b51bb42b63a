"""Attributes typed by what the run assigns them from outside their class (``ModuleFacts.attribute_sets``).

- ``app.db = db`` in a factory, ``app`` an instance of a class of the run: ``app.db`` where the factory's result is
  read (a test helper handed ``app.db``).
- Flask's ``g`` (and ``request.state``, which flask-to-fastapi writes for it in a view): an app loads a row once per
  request into it (``g.project = Project.query.get(pk)`` in a ``before_request`` or ``url_value_preprocessor``
  hook, ``setattr(g, "project", project)``) and its views call methods on it. Typed as ``ref:flask.g.project``
  (known, none of the run's), ``g.project.remove()`` was neither awaited nor given a TODO once ``remove`` became
  async. ``g.project`` is now the instance every assignment to ``g.project`` or ``request.state.project`` gives;
  else unknown, and the rules for unknown receivers (``unknown_receivers``) apply to its calls.

Only when every such assignment agrees: a value of unknown type (a call's result, a parameter) disagrees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

G_MODULES = {"flask", "flask.globals"}
HELPER_PACKAGE = "_flask_compat"  # flask-to-fastapi's helpers re-export a ``g`` of their own
REQUESTS = {"fastapi.Request", "fastapi.requests.Request", "starlette.requests.Request"}
STATE = "ref:starlette.requests.Request.state"


def agree(project: Any, found: set[str | None]) -> str | None:
    """The type the values of types ``found`` agree on: the one type, or an instance of the class of the run every
    other is built on (``ProjectForm()`` or its ``ProjectFormWithCaptcha()``: the base's methods are theirs)."""
    if len(found) == 1:
        return next(iter(found))
    if None in found or not all(kind.startswith("inst:") for kind in found):
        return None
    lineages = [{f"inst:{c.module}:{c.qualname}" for c in project.mro(*kind[5:].split(":", 1))} for kind in found]
    return next((kind for kind in found if all(kind in lineage for lineage in lineages)), None)


def agreed(types: Any, name: str, owner: Callable[[str | None], bool]) -> str | None:
    """The type every ``x.name = value`` of the run gives (``agree``), ``x`` of a type ``owner`` accepts."""
    found = set()
    for facts in types.project.modules.values():
        for scope, replaced, value in facts.attribute_sets:
            if replaced[2] == name and owner(types.type_of(facts.name, scope, replaced[1])):
                found.add(types.type_of(facts.name, scope, value))
    return agree(types.project, found) if found else None


def set_from_outside(types: Any, base: str, name: str) -> str | None:
    """``app.db``, ``app`` of type ``base`` (``inst:``): what every ``app.db = ...`` of the run gives."""
    return agreed(types, name, lambda kind: kind == base)


def is_globals(kind: str | None) -> bool:
    """``ref:flask.g``, the helper package's ``g``, or a FastAPI request's ``state``."""
    if not kind or not kind.startswith("ref:"):
        return False
    if kind == STATE:
        return True
    module, _, name = kind[4:].rpartition(".")
    return name == "g" and (module in G_MODULES or HELPER_PACKAGE in module.split("."))


def request_global(types: Any, base: str, name: str) -> str | None:
    """``g.name`` (``base`` Flask's ``g``), ``request.state.name`` (``base`` a FastAPI request): an instance every
    assignment to either gives, else unknown; ``request.state`` itself (``STATE``)."""
    if base.startswith("extern:"):
        return STATE if name == "state" and base[7:] in REQUESTS else None
    kind = agreed(types, name, is_globals)
    return kind if kind and kind.startswith("inst:") else None
