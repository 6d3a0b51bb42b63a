"""Tables of functions a test of the run patches: what the code calls through them may be the test's sync mock.

``@patch("pkg.mod.HANDLERS")`` (``with patch(...)``, ``mocker.patch(...)``, ``monkeypatch.setattr("pkg.mod.HANDLERS",
...)``) hands the code a ``MagicMock`` for the table, and the test puts its own mocks where the functions were
(``handlers.get.return_value = dict(refresh=MagicMock())``). A dispatch site whose callee was followed through
such a module variable awaits through ``_awaited`` even when every function the table holds is a coroutine
function now (``dispatch``): a coroutine is awaited as before, the mock's value is given as it is (a plain
``await`` raised TypeError: 'object MagicMock can't be used in 'await' expression').
"""

from __future__ import annotations

from typing import Any


def patched(project: Any) -> frozenset[tuple[str, str]]:
    """(module, name) of each module variable of the run a test patches by its dotted path (read once a run)."""
    found = project.__dict__.get("_patched_tables")
    if found is None:
        paths = set()
        for facts in project.modules.values():
            paths.update(facts.patch_paths, facts.patched)
            for func in facts.functions.values():
                paths.update(p for p in [*func.patches, *func.with_patches.values()] if p)
        pairs = set()
        for path in paths:
            head, _, name = path.rpartition(".")
            module = project.resolve(head) if head else None
            if module is not None:
                pairs.add((module, name))
        found = project.__dict__["_patched_tables"] = frozenset(pairs)
    return found


def any_patched(project: Any, tables: frozenset[tuple[str, str]]) -> bool:
    """Whether a test patches one of the module variables a dispatch site's callee was followed through."""
    return bool(tables & patched(project))
