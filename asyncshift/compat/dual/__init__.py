"""Dual adapters: one object, a sync and an async call style, routed by the target's stage.

``DualService`` puts an old (sync) and a new (async) implementation of a service behind one
name; ``DualUnits`` does the same for repositories, inside units of work. At ``sync``/``async``
one side serves (bridged when the caller's colour differs); at ``shadow``/``live`` the other
side also runs, off the caller's path, and ``compat.shadow`` compares and records the two.

The package, one idea a module, on a shared core:

- ``routing``: the core: which methods only read (``read_methods``, ``is_read``,
  ``declared_reads``), ``clone_arguments``, and a target's routing (stage, checker, write policy);
- ``services``: ``DualService`` and its two facades;
- ``units``: ``DualUnits``, units of work that make repositories of mixed colours one transaction.
"""

from compat.dual.routing import NEW, OLD, READ_PREFIXES, clone_arguments, declared_reads, is_read
from compat.dual.services import DualService
from compat.dual.units import DualUnits

__all__ = [
    "NEW",
    "OLD",
    "READ_PREFIXES",
    "DualService",
    "DualUnits",
    "clone_arguments",
    "declared_reads",
    "is_read",
]
