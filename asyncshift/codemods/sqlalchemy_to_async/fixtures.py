"""Pytest fixtures: a test's parameter is what the fixture of that name returns or yields.

``def test_add(repository)`` never says what ``repository`` is; pytest hands it the value of the fixture
``repository`` (in the test's class, its module, or a ``conftest.py`` above it). Typing the parameter by that
fixture lets the run see that ``repository.add()`` became a coroutine, so the test becomes async and awaits it.

What a ``conftest.py`` or a test module calls at module level (``init_db()`` after pushing an app context) runs
when pytest imports it, with no event loop running: a call there that became a coroutine is run to its end
(``_run_to_end``, as a unittest test's), on a loop where ``db.session`` is the sync session the tests share; left
unawaited it did nothing (no tables, no rows: every test that read them failed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codemods.sqlalchemy_to_async.facts import FunctionFacts


def is_fixture(func: FunctionFacts) -> bool:
    return any(d.rpartition(".")[2] in ("fixture", "yield_fixture") for d in func.decorators)


def is_test(func: FunctionFacts) -> bool:
    return func.name.startswith("test") or is_fixture(func) or func.name in ("setup_method", "setUp")


def imported_by_pytest(project: Any, module: str, scopes: list[tuple[str, str]]) -> bool:
    """Whether the code being walked runs when pytest imports its module: module level (a class body too, not a
    function's) of a ``conftest.py``, a ``test_*.py`` or ``*_test.py`` module, or a module of a ``tests`` folder."""
    if any(kind == "def" for kind, _ in scopes):
        return False
    source = project.source_of(module)
    if source is None:
        return False
    path = Path(source)
    stem = path.stem
    if stem == "conftest" or stem.startswith("test_") or stem.endswith("_test"):
        return True
    return any(part in ("test", "tests") for part in path.parent.parts[-3:])


def injected(types: Any, func: FunctionFacts, name: str) -> str | None:
    """The type of parameter ``name`` of a test or fixture, from the fixture pytest would hand it."""
    if not is_test(func):
        return None
    fixture = find(types.project, func, name)
    if fixture is None or fixture is func:
        return None
    return types.returned(f"func:{fixture.module}:{fixture.qualname}")


def find(project: Any, func: FunctionFacts, name: str) -> FunctionFacts | None:
    """Nearest first: the test's class, its module, then each ``conftest`` module of a package above it."""
    places = []
    if func.cls:
        places.append((func.module, f"{func.cls}.{name}"))
    places.append((func.module, name))
    places += [(module, name) for module in _conftests(project, func.module)]
    for module, qualname in places:
        found = project.function(module, qualname) or _imported(project, module, qualname)
        if found is not None and is_fixture(found):
            return found
    return None


def _imported(project: Any, module: str, name: str) -> FunctionFacts | None:
    """A fixture a module imports from another of the run (a conftest's ``from tests.fixtures.forum import *``):
    pytest finds it in the module's namespace as if defined there."""
    kind = project.types.global_name(module, name) if "." not in name else None
    return project.by_id(kind[5:]) if kind and kind.startswith("func:") else None


def _conftests(project: Any, module: str) -> list[str]:
    """The run's ``conftest.py`` modules in the test's folder and the folders above it, nearest first
    (by folder, as pytest finds them: a tests folder is often no package)."""
    paths = {name: path for path, name in project.by_source.items()}
    if module not in paths:
        return []
    found = []
    folder = Path(paths[module]).parent
    for parent in [folder, *folder.parents]:
        name = project.by_source.get(str(parent / "conftest.py"))
        if name is not None:
            found.append(name)
    return found
