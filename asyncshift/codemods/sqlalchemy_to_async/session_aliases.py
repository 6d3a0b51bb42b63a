"""``db.session`` stored in an attribute of a shared object, set in more than one place, agrees with itself.

``db.slave_session = db.session`` at module level is kept sync (``db.sync_session``: nothing can await there), and
what reads ``db.slave_session`` later is left sync (the attribute is no session the rules know). A setup function
setting the same attribute again, ``db.slave_session = make_reader(db)`` with ``make_reader`` returning
``db.session`` (or ``db.session`` itself) in a function that became async, handed the async session: at run time
the attribute was the ``AsyncSession`` and every sync read of it gave a coroutine. Where another assignment of the
attribute in the run is kept sync, this one hands ``db.sync_session`` too: a ``db.session`` assigned to it
directly, or returned by a function of the module whose call is assigned to it; and ``db.session`` compared
by identity with the attribute (``db.reader is not db.session``), which would flip otherwise.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async.conversion import Conversion


def kept_sync_attributes(project) -> frozenset[str]:
    """Names ``a`` of every ``x.a = y.session`` the run assigns where nothing can await (module level, held sync),
    found once for the run."""
    cached = project.__dict__.get("_kept_sync_attributes")
    if cached is not None:
        return cached
    names = set()
    for facts in project.modules.values():
        for scope, target, value in facts.attribute_sets:
            if not (target and target[0] == "attr" and value and value[0] == "attr" and value[2] == "session"):
                continue
            if target[2] != "session" and (scope is None or f"{facts.name}:{scope}" in project.held_sync):
                names.add(target[2])
    project.__dict__["_kept_sync_attributes"] = found = frozenset(names)
    return found


class _Sites(cst.CSTVisitor):
    """Values assigned to such an attribute, and what functions of the module whose calls are assigned it return."""

    def __init__(self, names: frozenset[str]) -> None:
        super().__init__()
        self.names, self.values, self.called = names, set(), set()
        self.returns: dict[str, list[int]] = {}
        self.functions: list[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node.name.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Attribute) and target.target.attr.value in self.names:
                self.values.add(id(node.value))
                if isinstance(node.value, cst.Call) and isinstance(node.value.func, cst.Name):
                    self.called.add(node.value.func.value)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        """``db.reader is not db.session`` (the setup asking whether it made a session of its own): the sync one
        now, else an attribute holding the sync session is never the async one and the answer flips."""
        sides = [node.left, *(target.comparator for target in node.comparisons)]
        if not all(isinstance(target.operator, (cst.Is, cst.IsNot)) for target in node.comparisons):
            return
        if any(isinstance(side, cst.Attribute) and side.attr.value in self.names for side in sides):
            self.values.update(
                id(side) for side in sides if isinstance(side, cst.Attribute) and side.attr.value == "session"
            )

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None and self.functions:
            self.returns.setdefault(self.functions[-1], []).append(id(node.value))


def sites(conv: Conversion) -> frozenset[int]:
    """The ids of the module's values to keep sync, found once for its conversion."""
    cached = conv.__dict__.get("_session_alias_sites")
    if cached is not None:
        return cached
    names = kept_sync_attributes(conv.project)
    found: set[int] = set()
    if names:
        walker = _Sites(names)
        conv.module.visit(walker)
        found = set(walker.values)
        for name in walker.called:
            found.update(walker.returns.get(name, ()))
    conv.__dict__["_session_alias_sites"] = kept = frozenset(found)
    return kept


def stored_sync(conv: Conversion, original: cst.Attribute) -> bool:
    """Whether this ``db.session`` goes into an attribute another assignment of the run keeps sync."""
    return id(original) in sites(conv)
