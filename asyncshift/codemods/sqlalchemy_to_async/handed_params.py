"""An unannotated parameter typed by what the run hands it: every call of the run and its default agree.

Code written before type hints passes its session down by hand: a unit of work built with a sessionmaker
(``SqlAlchemyUnitOfWork(session_factory=DEFAULT_SESSION_FACTORY)``) opens the session it hands a repository
(``SqlAlchemyRepository(self.session)``), whose ``self.session.query(...)`` nothing typed, so the repository
stayed sync (and its module, mentioning no SQLAlchemy name, was not even read) under an awaiting caller.
Only a SQLAlchemy object or an instance of a class of the run counts, and only when every value handed whose
type is known (the default too) is of that one type; a value of unknown type (a parameter handed on, itself
typed by nothing) says nothing either way, as at the call sites of an annotated parameter.
When no value handed is of a known type, a parameter named after the run's one global instance of a class of the
run is that (``namesake_globals``).
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async import class_bodies, login_users, namesake_globals
from codemods.sqlalchemy_to_async.exprs import Expr
from codemods.sqlalchemy_to_async.facts import FunctionFacts

KINDS = ("sqla:", "inst:")


def typed(types: Any, func: FunctionFacts, name: str) -> str | None:
    """The type of ``func``'s unannotated parameter ``name`` from the values handed to it, else None."""
    handed = _index(types).get((func.id, name))
    default = func.defaults.get(name)
    values = [(module, scope, value) for module, scope, value in handed or ()]
    if default is not None:
        values.append((func.module, func.parent, default))
    found = {login_users.handed(types, kind) for kind in types.tentative(values)} - {None}  # ``current_user`` too
    if not found:  # nothing known handed (a class built dynamically): named after the run's one global instance
        return namesake_globals.typed(types, name)
    kind = found.pop() if len(found) == 1 else None
    return kind if kind and kind.startswith(KINDS) else None


def handed_values(types: Any, func: FunctionFacts, name: str) -> list[tuple[str, str, Expr]]:
    """The (module, scope, value) of each argument the run's calls hand ``func``'s unannotated parameter ``name``."""
    return _index(types).get((func.id, name), []) if name in func.params else []


def _index(types: Any) -> dict[tuple[str, str], list[tuple[str, str, Expr]]]:
    """(function id, parameter) -> the (module, scope, value) of each argument the run's calls hand it; built
    once, for the functions and classes that have an unannotated parameter (only their calls are resolved)."""
    index = getattr(types, "_handed_params", None)
    if index is not None:
        return index
    types._handed_params = index = {}  # a type asked while building it sees no handed parameter
    project = types.project
    wanted = {
        function.name
        for facts in project.modules.values()
        for function in facts.functions.values()
        if any(a is None for p, a in function.params.items() if p != function.first_param)
    }
    wanted |= {cls.rpartition(".")[2] for facts in project.modules.values() for cls in facts.classes}  # __init__
    wanted |= {  # ``Model.get(session)`` where the class body says ``get = by_alias``
        name
        for facts in project.modules.values()
        for cls in facts.classes.values()
        for name in cls.attrs
        if class_bodies.method_alias(cls, name)
    }
    for facts in list(project.modules.values()):
        for caller in list(facts.functions.values()):
            for callee, positional, keywords in [*caller.arguments, *caller.built_arguments]:
                if not callee or callee[-1] not in wanted:
                    continue
                places = [(i, None, v) for i, v in enumerate(positional)] + [(None, k, v) for k, v in keywords]
                for index_, keyword, value in places:
                    landing = types.landing(caller.module, caller.qualname, callee, index_, keyword)
                    if landing is not None and landing[0].params[landing[1]] is None:
                        index.setdefault((landing[0].id, landing[1]), []).append(
                            (caller.module, caller.qualname, value)
                        )
    types.forget()  # what was found while building, without handed parameters, is asked again
    return index
