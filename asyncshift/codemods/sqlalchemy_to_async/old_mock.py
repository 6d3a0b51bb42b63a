"""The ``mock`` backport before 4.0: its ``@patch(...)`` (``patch.object``, ``patch.dict``, ``patch.multiple``)
wraps the function in a sync wrapper that calls it in place, coroutine function or not. A test made ``async def``
under it was handed to pytest as a sync function returning the coroutine ('async def functions are not natively
supported': the test did not run) and, under a decorator choosing its wrapper by ``iscoroutinefunction``, every
decorator above it took it for sync too. mock 4.0 (the backport of Python 3.8's ``unittest.mock``) gives a coroutine
function an async wrapper. A project pinning mock below 4.0 keeps its pin: the function stays sync under such a
decorator and its awaited calls run to their end there (``_run_to_end``), with the TODO; unpinned or 4.0+, nothing
changes. ``unittest.mock`` is the standard library's, async-aware on every Python the conversion runs on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codemods.flask_to_fastapi.requirements import project_pins
from codemods.sqlalchemy_to_async.pytest_pins import too_low

PATCHES = {"mock.patch", "mock.patch.object", "mock.patch.dict", "mock.patch.multiple"}
ASYNC_FROM = (4, 0)  # mock 4.0.0 (January 2020): patch gives a coroutine function an async wrapper


def held(project: Any, func: Any, dotted: str) -> str | None:
    """Why ``func``, under the decorator ``dotted``, stays sync: a patch of the project's mock before 4.0."""
    if dotted not in PATCHES or not _pinned_below_4(project, func.module):
        return None
    return f"'{func.name}' is wrapped by @{dotted} (mock before 4.0, the project's pin), whose caller does not await it"


def _pinned_below_4(project: Any, module: str) -> bool:
    """Whether the pins nearest the module's file hold mock below 4.0 (read once a folder a run)."""
    cache = project.__dict__.setdefault("_old_mock", {})
    source = project.source_of(module)
    if source is None:
        return False
    folder = str(Path(source).parent)
    if folder not in cache:
        cache[folder] = too_low(project_pins(folder, "mock"), ASYNC_FROM)
    return cache[folder]
