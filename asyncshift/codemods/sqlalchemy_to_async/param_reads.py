"""A sync function of the run reading a relationship (or a property reading one) off a model it is handed runs in
SQLAlchemy's greenlet where it is called from async code or from a function held sync.

``get_attributes(thing)`` iterating ``thing.attributes`` (a mixin's ``declared_attr`` relationship, whose ``lazy=``
is in a function: ``handed_reads`` cannot make it load with its object), or a model's static ``node_dict(node)``
reading ``node.label_names`` (a property over such a relationship), is plain sync code: called from a class-based
view held sync or from a coroutine, each load raised ``MissingGreenlet`` under the AsyncSession. Such a function is
one ``library_readers`` runs in the greenlet as it runs a ``marshal`` caller, and so are the run's sync functions
calling it: ``await greenlet_spawn(get_attributes, thing)`` in a coroutine,
``_on_serving_loop(greenlet_spawn(get_attributes, thing))`` in a held view (``_run_to_end(...)`` in a unittest test).

A read counts when its name is a relationship that loads on read (``greenlet_reads.lazy_relationships``, less those
loading with their object: an eager ``lazy=`` written, or the ``lazy="selectin"`` ``handed_reads`` writes) or a
property reading one (``property_reads``, ``greenlet_reads.lazy_properties``), unless the parameter is typed, and
not as an instance of a class of the run whose lineage (or a subclass's) has it; an untyped one's ``found.values()``
may be a dict's, no read. A generator, a property and a method Python calls (``__str__``) are left out: no call of
theirs can be handed to the greenlet.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async import handed_reads, property_reads

GETTERS = property_reads.PROPERTIES | {"hybrid_property"}
EAGER = {"selectin", "joined", "subquery", "immediate"}  # loaded with its object (by the query that loads it)
# what an untyped parameter may be instead of a model: ``found.values()`` on a dict is no relationship's read
BUILTIN = {n for kind in (dict, list, set, str, bytes, tuple, frozenset) for n in dir(kind) if not n.startswith("_")}


def readers(project: Any, lazy: dict[str, set[str]], lazy_props: dict[str, set[str]]) -> set[str]:
    """The ids of the run's sync functions reading a loading relationship, or a property reading one, off one of
    their parameters (``lazy``: relationship name -> classes having it; ``lazy_props``: property name -> classes)."""
    found = getattr(project.types, "_param_readers", None)
    if found is not None:
        return found
    found = project.types._param_readers = set()
    props = {name: set(owners) for name, owners in property_reads.properties(project, lazy).items()}
    lazy = _loading(project, lazy)
    for name, owners in lazy_props.items():
        props.setdefault(name, set()).update(owner.rpartition(".")[2] for owner in owners)
    for module in project.modules.values():
        for qualname, param, name in _reads(module):
            func = module.functions.get(qualname)
            if func is None or func.id in found or not _callable_sync(project, func, param):
                continue
            if param not in func.params or func.params[param] is None and name in BUILTIN:
                continue  # ``found.values()`` on what may be a dict
            if name in lazy and _may_have(project, func, param, lazy[name]):
                found.add(func.id)
            elif name in props and _may_have(project, func, param, props[name]):
                found.add(func.id)
    return found


def _loading(project: Any, lazy: dict[str, set[str]]) -> dict[str, set[str]]:
    """``lazy`` less the classes whose relationship of that name loads with its object: an eager ``lazy=`` written,
    or the one ``handed_reads`` writes where none is (a second run reads it written)."""
    marked = handed_reads.marked(project)
    eager: dict[str, set[str]] = {}
    for module in project.modules.values():
        for cls in module.classes.values():
            for name in cls.relationships:
                lazy_is = cls.lazies.get(name)  # (an explicit lazy= ``handed_reads`` keeps)
                if str(lazy_is) in EAGER or lazy_is is None and (cls.module, cls.qualname, name) in marked:
                    eager.setdefault(name, set()).add(cls.qualname.rpartition(".")[2])
    loading = {name: owners - eager.get(name, set()) for name, owners in lazy.items()}
    return {name: owners for name, owners in loading.items() if owners}


def _reads(module: Any) -> list[tuple[str, str, str]]:
    """(function, parameter, name) of each ``param.name`` read; a static method's first parameter is one too (the
    first pass reads it as a method's ``self``)."""
    found = set(getattr(module.flows, "reads", ()))
    for qualname, name in getattr(module.flows, "self_reads", ()):
        func = module.functions.get(qualname)
        if func is not None and func.first_param and _static(func):
            found.add((qualname, func.first_param, name))
    return sorted(found)


def _static(func: Any) -> bool:
    return any(d.rpartition(".")[2] == "staticmethod" for d in func.decorators)


def _callable_sync(project: Any, func: Any, param: str) -> bool:
    """A sync function called by name (no generator, property or dunder), ``param`` one of its parameters but the
    bound one of a method (``self.rel`` is ``greenlet_reads``' own-reads rule)."""
    if func.is_async or func.is_generator or project.is_async(func.id) or func.id in project.held_sync:
        return False
    if func.name.startswith("__") or any(d.rpartition(".")[2] in GETTERS for d in func.decorators):
        return False
    return _static(func) or not func.cls or param != func.first_param


def _may_have(project: Any, func: Any, param: str, owners: set[str]) -> bool:
    """Unless ``param`` is typed, and not as an instance of a class of the run whose lineage, or a subclass's,
    is among ``owners``."""
    found = project.types.type_of(func.module, func.qualname, ("name", param)) or ""
    if not found.startswith("inst:"):
        return not found and func.params[param] is None  # an untyped parameter: the name says it
    module, _, qualname = found[5:].partition(":")
    lineages = [project.mro(module, qualname)]
    lineages += [project.mro(sub.module, sub.qualname) for sub in project.built_on(module, qualname)]
    return any(cls.qualname.rpartition(".")[2] in owners for classes in lineages for cls in classes)
