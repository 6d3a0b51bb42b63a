"""What a converted module needs installed, as PEP 508 strings for the report's ``requirements``.

``asyncclick`` from 8.3 (the helpers test for Click 8.3's ``UNSET`` default and use its async
``main``/``invoke``/``CliRunner``); ``rich`` where the converted code imports it (Typer installed it,
asyncclick does not); pytest-asyncio where tests became ``async def`` (``asyncio_mode = auto``: 0.17).
"""

from __future__ import annotations

import libcst as cst

from codemods.base import Notes
from codemods.cst_walk import walk
from codemods.typer_to_asyncclick.names import dotted

ASYNCCLICK = "asyncclick>=8.3.0.1"
PYTEST_ASYNCIO = "pytest-asyncio>=0.17"
PYTEST_ASYNCIO_LOOP_SCOPE = "pytest-asyncio>=0.24"  # a fixture of wider scope made async: its loop_scope=
BY_IMPORT = {"asyncclick": ASYNCCLICK, "rich": "rich>=10.11"}  # rich: Typer's own minimum


def _read(tree: cst.CSTNode) -> tuple[set[str], set[str]]:
    """The top-level packages a module imports (absolute imports only) and its ``async def test*``
    functions, in one walk of its statements: no code generated, no parse."""
    packages: set[str] = set()
    tests: set[str] = set()
    for node in walk(tree, skip=cst.BaseExpression):
        kind = type(node)
        if kind is cst.Import:
            packages.update((dotted(alias.name) or "").split(".")[0] for alias in node.names)
        elif kind is cst.ImportFrom and node.module is not None and not node.relative:
            packages.add((dotted(node.module) or "").split(".")[0])
        elif kind is cst.FunctionDef and node.asynchronous is not None and node.name.value[:4] == "test":
            tests.add(node.name.value)
    return packages, tests


def declare(before: cst.Module, after: cst.Module, notes: Notes) -> None:
    """Add to ``notes.requirements`` what the converted module ``after`` needs that Typer brought or
    that ``before`` did not need."""
    packages, tests = _read(after)
    wanted = {BY_IMPORT[name] for name in packages if name in BY_IMPORT}
    if tests and tests - _read(before)[1]:
        wanted.add(PYTEST_ASYNCIO)
    notes.requirements.update(wanted)
