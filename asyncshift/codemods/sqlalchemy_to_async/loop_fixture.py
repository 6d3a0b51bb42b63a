"""The session's one event loop under an older pytest-asyncio (``pytest_pins.LEGACY``), which has no loop scope
setting: its ``event_loop`` fixture, overridden at session scope in a ``conftest.py`` pytest reads for the tests made
async (as pytest-asyncio 0.17-0.21 documented it). The file is made in the highest folder from the pytest config's
down to the tests' without one; a project's conftest defining ``event_loop`` already is left, and with no free
folder the report says what to write.
"""

from __future__ import annotations

import re
from pathlib import Path

NAME = "conftest.py"
CODE = '''\
"""Written by asyncshift: the tests and fixtures made async run on one event loop for the whole session (the
pytest-asyncio that runs on this project's pytest and pluggy pins has no loop scope setting)."""

import asyncio

import pytest


@pytest.fixture(scope="session")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
'''
BY_HAND = (
    "tests and fixtures became async: define a session-scoped event_loop fixture (a new event loop, yielded, "
    "closed) in a conftest.py above them (pytest-asyncio below 0.24 has no loop scope setting)"
)
_DEFINED = re.compile(r"^\s*(async\s+)?def\s+event_loop\s*\(|^\s*event_loop\s*=", re.MULTILINE)


def plan(config_folder: Path, tests: Path) -> tuple[Path | None, str | None]:
    """(the conftest.py to make, None when nothing is to be made; the note for the report, or None)."""
    folders = [tests, *tests.parents]
    if config_folder in folders:
        folders = folders[: folders.index(config_folder) + 1]
    else:
        folders = [tests]
    free = None
    for folder in folders:
        path = folder / NAME
        if not path.exists():
            free = path
            continue
        try:
            if _DEFINED.search(path.read_text(encoding="utf-8")):
                return None, None
        except (OSError, UnicodeDecodeError):
            continue
    if free is None:
        return None, BY_HAND
    return free, None
