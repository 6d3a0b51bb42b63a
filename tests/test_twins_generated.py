"""The aio twins committed under ``src/admin_assistant/aio`` are what ``sqlalchemy-to-async --twin`` writes from
``sync/``: run with ``--check`` (exit 1 when a committed twin differs), as httpcore checks its unasync output.

To regenerate after editing ``sync/``: from ``src/``, remove the twin's files and run
``asyncshift codemod run sqlalchemy-to-async admin_assistant/sync/<package> --twin
admin_assistant.sync.<package>=admin_assistant.aio.<package>``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from asyncclick.testing import CliRunner

from compat.control.commands import cli

SRC = Path(__file__).resolve().parents[1] / "src"
# The packages of admin_assistant.sync whose aio twin is generated (and only checked here).
GENERATED = ["repositories"]


@pytest.fixture
def src(tmp_path, monkeypatch):
    """A copy of the app's sources: --check writes nothing, but a test may edit a twin."""
    shutil.copytree(SRC / "admin_assistant", tmp_path / "admin_assistant", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def check(package: str):
    twin = f"admin_assistant.sync.{package}=admin_assistant.aio.{package}"
    args = ["codemod", "run", "sqlalchemy-to-async", f"admin_assistant/sync/{package}", "--twin", twin, "--check"]
    return await CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.mark.parametrize("package", GENERATED)
async def test_the_committed_twin_is_what_the_codemod_writes(src, package):
    result = await check(package)
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


@pytest.mark.parametrize("package", GENERATED)
async def test_a_twin_edited_by_hand_fails_the_check(src, package):
    edited = sorted((src / "admin_assistant" / "aio" / package).glob("*.py"))[-1]
    edited.write_text(edited.read_text().replace("async def", "def", 1) + "# by hand\n")
    result = await check(package)
    assert result.exit_code == 1, result.output
    assert edited.name in result.output
