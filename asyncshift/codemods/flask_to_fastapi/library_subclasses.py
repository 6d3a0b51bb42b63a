"""Methods a library calls itself: those of the run's classes deriving from a class the run does not define and
does not convert (a Flask extension left on Flask, ``class ModelAdmin(AdminSecurityMixin, ModelView)``; or any
other library's, ``class ContextFilter(logging.Filter)`` whose ``filter(self, record)`` logging calls), and of the
run's classes they derive from (the mixin's ``_handle_view(self, name, **kwargs)``). The library is not rewritten,
so it never passes the request: they keep their signature and read the request through the helper's proxy (a
``request`` parameter took the library's first argument: every admin page failed, every log record raised).

Of a standard library class only the methods it has are its callbacks (``Exception``'s ``__init__``, not a
project's ``to_dict``); another library is not imported here: each method of its subclass keeps its signature."""

from __future__ import annotations

import importlib
import sys

from codemods.flask_to_fastapi.foreign_extensions import CONVERTED

CONVERTED_LIBRARIES = CONVERTED | {"werkzeug", "builtins"}  # their classes become FastAPI's or pass the request


def _library(qualified: str, run: set[str]) -> bool:
    top = qualified.split(".")[0]
    return "." in qualified and top not in run and top not in CONVERTED_LIBRARIES


def _standard(qualified: str):
    """The standard library's class ``logging.Filter``, or None (not the standard library's, not found)."""
    module, _, name = qualified.rpartition(".")
    if module.split(".")[0] not in sys.stdlib_module_names:
        return None
    try:
        return getattr(importlib.import_module(module), name, None)
    except Exception:  # a module that does not import here
        return None


def _calls(bases: list[str], method: str) -> bool:
    """Whether one of these library bases calls ``method``: one not of the standard library may."""
    for base in bases:
        found = _standard(base)
        if found is None or hasattr(found, method):
            return True
    return False


def called_by_extensions(classes: dict, functions: set[str]) -> set[str]:
    """The keys of ``functions`` (``pkg.admin.Mixin._handle_view``) that are methods of such classes; ``classes``
    maps each class of the run to its qualified bases first (``view_classes.classes_of``)."""
    bases = {name: entry[0] for name, entry in classes.items() if name}
    run = {key.split(".")[0] for key in (*bases, *functions)}
    library = {name: [p for p in parents if _library(p, run)] for name, parents in bases.items()}
    derived = {name: found for name, found in library.items() if found}
    changed = True
    while changed:  # through the run's own subclasses of such a class
        grown = {n: [b for p in parents if p in derived for b in derived[p]] for n, parents in bases.items()}
        grown = {n: found for n, found in grown.items() if found and n not in derived}
        derived.update(grown)
        changed = bool(grown)
    called: dict[str, list[str]] = {}
    todo = list(derived.items())
    while todo:  # and the run's classes they derive from, mixins included
        name, found = todo.pop()
        if name not in called:
            called[name] = found
            todo += [(p, found) for p in bases.get(name, ()) if p in bases]
    return {
        key
        for key in functions
        if (c := key.rpartition(".")[0]) in called and _calls(called[c], key.rpartition(".")[2])
    }
