"""What a converted module needs installed, as PEP 508 strings for the report's ``requirements``.

``asyncclick`` from 8.3 (the helpers test for Click 8.3's ``UNSET`` default and use its async
``main``/``invoke``/``CliRunner``); ``rich`` where the converted code imports it (Typer installed it,
asyncclick does not); pytest-asyncio where tests became ``async def`` (``asyncio_mode = auto``: 0.17).
"""

from __future__ import annotations

import ast

from codemods.base import Notes

ASYNCCLICK = "asyncclick>=8.3.0.1"
PYTEST_ASYNCIO = "pytest-asyncio>=0.17"
BY_IMPORT = {"asyncclick": ASYNCCLICK, "rich": "rich>=10.11"}  # rich: Typer's own minimum


def imported(code: str) -> set[str]:
    """The top-level packages a module imports (absolute imports only)."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def _async_tests(code: str) -> set[str]:
    return {n.name for n in ast.walk(ast.parse(code)) if isinstance(n, ast.AsyncFunctionDef) and n.name[:4] == "test"}


def declare(before: str, after: str, notes: Notes) -> None:
    """Add to ``notes.requirements`` what the converted module ``after`` needs that Typer brought or
    that ``before`` did not need."""
    wanted = {BY_IMPORT[name] for name in imported(after) if name in BY_IMPORT}
    if _async_tests(after) - _async_tests(before):
        wanted.add(PYTEST_ASYNCIO)
    notes.requirements.update(wanted)
