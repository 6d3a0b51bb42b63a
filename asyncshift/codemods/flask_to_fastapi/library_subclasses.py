"""Methods a Flask extension left on Flask calls itself: those of the run's classes deriving from one of its classes
(``class ModelAdmin(AdminSecurityMixin, flask_admin.contrib.sqla.ModelView)``), and of the run's classes they derive
from (the mixin's ``_handle_view(self, name, **kwargs)``). The extension is not rewritten, so it never passes the
request: they keep their signature and read the request through the helper's proxy (a ``request`` parameter took
the extension's first argument: every admin page failed)."""

from __future__ import annotations

from codemods.flask_to_fastapi.foreign_extensions import CONVERTED


def _foreign(qualified: str) -> bool:
    top = qualified.split(".")[0]
    return top.startswith("flask_") and top not in CONVERTED


def called_by_extensions(classes: dict, functions: set[str]) -> set[str]:
    """The keys of ``functions`` (``pkg.admin.Mixin._handle_view``) that are methods of such classes; ``classes``
    maps each class of the run to its qualified bases first (``view_classes.classes_of``)."""
    bases = {name: entry[0] for name, entry in classes.items() if name}
    derived = {name for name, parents in bases.items() if any(_foreign(p) for p in parents)}
    changed = True
    while changed:  # through the run's own subclasses of such a class
        grown = {name for name, parents in bases.items() if derived & set(parents)} - derived
        derived |= grown
        changed = bool(grown)
    called, todo = set(), list(derived)
    while todo:  # and the run's classes they derive from, mixins included
        name = todo.pop()
        if name not in called:
            called.add(name)
            todo += [p for p in bases.get(name, ()) if p in bases]
    return {key for key in functions if key.rpartition(".")[0] in called}
