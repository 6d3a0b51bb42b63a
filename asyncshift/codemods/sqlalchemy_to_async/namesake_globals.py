"""An unannotated parameter named after the run's one global instance: typed as that instance's class.

Code built before type hints hands its repositories around by name: ``project_repo = ProjectRepository(db)`` in
one module (at the top, or in a setup function declaring it ``global``), and a class taking it in its constructor
(``def __init__(self, project_repo): self.project_repo = project_repo``) that the run builds dynamically (a dict of
classes, ``cls(**kwargs)`` with ``kwargs['project_repo'] = project_repo``), so no call of the run types the
parameter. ``self.project_repo.get(id)``, a coroutine now, was left unawaited with no TODO (``get`` is a name too
common to await on an unknown receiver: ``unknown_receivers``).

Asked by ``handed_params`` only when no value the run hands the parameter (its default too) is of a known type: an
annotation, a mock a test hands, a dict, all win. The name counts only when the modules of the run binding it at
the top level agree on an instance of one class of the run; a module binding it to a literal only
(``project_repo = None`` before a setup sets it) says nothing; two classes, or one binding of unknown type, type
nothing.
"""

from __future__ import annotations

from typing import Any


def typed(types: Any, name: str) -> str | None:
    """``inst:module:Class`` when ``name`` is the run's one global instance of a class of the run, else None."""
    return _globals(types).get(name)


def _globals(types: Any) -> dict[str, str]:
    """Global name -> the one class instance the run binds it to (built once; ambiguous names left out)."""
    found = getattr(types, "_namesake_globals", None)
    if found is not None:
        return found
    types._namesake_globals = found = {}  # a type asked while building it sees no namesake
    kinds: dict[str, set[str | None]] = {}
    project = types.project
    for facts in list(project.modules.values()):
        for name, bindings in facts.variables.items():
            if all(how == "value" and value is None for how, value in bindings):
                continue  # ``project_repo = None``: a literal (nothing the rules read) before a setup sets it
            kinds.setdefault(name, set()).add(types.tentative([(facts.name, None, ("name", name))])[0])
    for name, known in kinds.items():
        kind = next(iter(known)) if len(known) == 1 else None
        if kind and kind.startswith("inst:") and project.modules.get(kind.split(":")[1]) is not None:
            found[name] = kind
    types.forget()  # what was found while building, without namesakes, is asked again
    return found
