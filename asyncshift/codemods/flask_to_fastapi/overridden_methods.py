"""Methods called through a base class of the run: a plugin's ``pre_receive(self, alert, **kwargs)`` overriding its
``PluginBase``'s, called as ``plugin.pre_receive(alert)`` on whatever a registry loaded. Such a call names no class
the run can follow, so it never passes the request: a method of a class hierarchy that a base or a subclass of
the run also defines keeps its signature and reads the request through the helper's proxy (a ``request``
parameter took the caller's first argument: "pre_receive() missing 1 required positional argument: 'alert'")."""

from __future__ import annotations

import libcst as cst


def class_methods(module: cst.Module, qualify) -> dict[str, set[str]]:
    """The top-level classes of a module by qualified name, with the names of the methods they define."""
    found: dict[str, set[str]] = {}
    for statement in module.body:
        if isinstance(statement, cst.ClassDef):
            name = qualify(statement.name.value)
            if name:
                found[name] = {s.name.value for s in statement.body.body if isinstance(s, cst.FunctionDef)}
    return found


def _ancestors(name: str, bases: dict[str, list[str]]) -> set[str]:
    found, todo = set(), list(bases.get(name, ()))
    while todo:
        base = todo.pop()
        if base not in found:
            found.add(base)
            todo += bases.get(base, ())
    return found


def overridden(classes: dict, methods: dict[str, set[str]], functions: set[str], views: set[str]) -> set[str]:
    """The keys of ``functions`` (``pkg.plugins.ip.RemoteIpAddr.pre_receive``) that are methods another class of
    their hierarchy defines too; ``classes`` maps each class of the run to its qualified bases first
    (``view_classes.classes_of``); the methods of MethodView classes (``views``) are routes, left out."""
    bases = {name: [b for b in entry[0] if b in methods] for name, entry in classes.items() if name in methods}
    above = {name: _ancestors(name, bases) for name in bases}
    related = {name: set(found) for name, found in above.items()}
    for name, found in above.items():
        for base in found:
            related.setdefault(base, set()).add(name)  # and the classes below
    keys = set()
    for key in functions:
        owner, _, method = key.rpartition(".")
        if owner in views or method not in methods.get(owner, ()):
            continue
        if any(method in methods.get(other, ()) for other in related.get(owner, ())):
            keys.add(key)
    return keys
