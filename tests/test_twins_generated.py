"""The aio twins committed under ``src/admin_assistant/aio`` are what ``sqlalchemy-to-async --twin`` writes from
``sync/``: run with ``--check`` (exit 1 when a committed twin differs), as httpcore checks its unasync output.

The repositories and the services are converted in one run (the services call the repositories, so the await
is carried from one into the other), and checked the same way in CI. To regenerate after editing ``sync/``:
from ``src/``, remove the twins' files and run the command ``check`` runs here without ``--check``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from asyncclick.testing import CliRunner

from compat.control.commands import cli

SRC = Path(__file__).resolve().parents[1] / "src"
# The packages of admin_assistant.sync whose aio twin is generated (and only checked here).
GENERATED = ["repositories", "services"]


@pytest.fixture
def src(tmp_path, monkeypatch):
    """A copy of the app's sources: --check writes nothing, but a test may edit a twin."""
    shutil.copytree(SRC / "admin_assistant", tmp_path / "admin_assistant", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def command(*options: str) -> list[str]:
    """The one run over every generated package, each with its twin."""
    args = ["codemod", "run", "sqlalchemy-to-async", *(f"admin_assistant/sync/{package}" for package in GENERATED)]
    for package in GENERATED:
        args += ["--twin", f"admin_assistant.sync.{package}=admin_assistant.aio.{package}"]
    return [*args, *options]


async def check():
    return await CliRunner().invoke(cli, command("--check"), catch_exceptions=False)


async def test_the_committed_twins_are_what_the_codemod_writes(src):
    result = await check()
    assert result.exit_code == 0, result.output
    for package in GENERATED:
        assert f"twin admin_assistant.aio.{package} " in result.output
    assert result.output.count("up to date") == len(GENERATED), result.output


async def test_the_generated_twins_hold_no_todo_and_no_line_kept_by_hand(src):
    """Nothing left for a person to finish: every line of both twins is the codemod's."""
    result = await check()
    assert "0 TODO(asyncshift) left" in result.output, result.output
    for package in GENERATED:
        for path in (src / "admin_assistant" / "aio" / package).glob("*.py"):
            assert "TODO(asyncshift)" not in path.read_text(), path


@pytest.mark.parametrize("package", GENERATED)
async def test_a_twin_edited_by_hand_fails_the_check(src, package):
    edited = sorted((src / "admin_assistant" / "aio" / package).glob("*.py"))[-1]
    edited.write_text(edited.read_text().replace("async def", "def", 1) + "# by hand\n")
    result = await check()
    assert result.exit_code == 1, result.output
    assert edited.name in result.output
