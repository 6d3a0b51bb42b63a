"""What a converted module needs installed, as PEP 508 strings for the report's ``requirements``.

``asyncclick`` from 8.3 (the helpers test for Click 8.3's ``UNSET`` default and use its async
``main``/``invoke``/``CliRunner``); ``rich`` where the converted code imports it (Typer installed it,
asyncclick does not); pytest-asyncio where tests became ``async def`` (``asyncio_mode = auto``: 0.17).
"""

from __future__ import annotations

import libcst as cst

from codemods.base import Notes
from codemods.typer_to_asyncclick.names import dotted
from codemods.typer_to_asyncclick.walk import walk

ASYNCCLICK = "asyncclick>=8.3.0.1"
PYTEST_ASYNCIO = "pytest-asyncio>=0.17"
BY_IMPORT = {"asyncclick": ASYNCCLICK, "rich": "rich>=10.11"}  # rich: Typer's own minimum


def imported(tree: cst.CSTNode) -> set[str]:
    """The top-level packages a module imports (absolute imports only), read from the tree: no code generated."""
    found = set()
    for node in walk(tree, skip=cst.BaseExpression):
        if isinstance(node, cst.Import):
            found.update((dotted(alias.name) or "").split(".")[0] for alias in node.names)
        elif isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
            found.add((dotted(node.module) or "").split(".")[0])
    return found


def _async_tests(tree: cst.CSTNode) -> set[str]:
    return {
        n.name.value
        for n in walk(tree, skip=cst.BaseExpression)
        if isinstance(n, cst.FunctionDef) and n.asynchronous is not None and n.name.value[:4] == "test"
    }


def declare(before: cst.Module, after: cst.Module, notes: Notes) -> None:
    """Add to ``notes.requirements`` what the converted module ``after`` needs that Typer brought or
    that ``before`` did not need."""
    wanted = {BY_IMPORT[name] for name in imported(after) if name in BY_IMPORT}
    new_tests = _async_tests(after)
    if new_tests and new_tests - _async_tests(before):
        wanted.add(PYTEST_ASYNCIO)
    notes.requirements.update(wanted)
