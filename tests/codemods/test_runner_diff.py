"""``--diff`` prints every file as ``git diff`` would: a latin-1/cp1252 file's lines in its own encoding (a
patch git applies to the same bytes as a run writes), a new executable helper file with mode 100755."""

from __future__ import annotations

import shutil
import subprocess

import libcst as cst
import pytest
from asyncclick.testing import CliRunner
from codemod_helpers import _toy

from codemods import registry, runner
from codemods.base import Codemod, Notes
from codemods.diffing import binary_patch, patch
from compat.control.commands import cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def _with_helper(module: cst.Module, notes: Notes) -> cst.Module:
    notes.files["_helper.py"] = "VALUE = 'é'\n"
    return _toy(module, notes)


HELPING = Codemod(
    name="helping", summary="Renames and asks for a helper.", needles=("old_name",), transform=_with_helper
)


@pytest.fixture(autouse=True)
def codemods(monkeypatch):
    monkeypatch.setitem(registry.CODEMODS, "toy", "codemod_helpers:TOY")
    monkeypatch.setitem(registry.CODEMODS, "helping", "test_runner_diff:HELPING")


def _git_apply(folder, data: bytes) -> None:
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    (folder / "change.patch").write_bytes(data)
    subprocess.run(["git", "apply", "change.patch"], cwd=folder, check=True)


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("latin-1", "# -*- coding: latin-1 -*-\nname = 'café'\nold_name = 1\n"),
        ("cp1252", "# coding: cp1252\n# €\nold_name = '‘x’'\n"),
    ],
)
async def test_diff_of_a_declared_encoding_git_applies_to_the_bytes_a_run_writes(tmp_path, monkeypatch, encoding, text):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/a.py").write_bytes(text.encode(encoding))
    monkeypatch.chdir(tmp_path)
    result = await CliRunner().invoke(cli, ["codemod", "run", "toy", "pkg", "--diff"], catch_exceptions=False)
    assert result.exit_code == 0
    assert text.replace("old_name", "new_name").splitlines()[-1].encode(encoding) in result.stdout_bytes
    _git_apply(tmp_path, result.stdout_bytes)
    applied = (tmp_path / "pkg/a.py").read_bytes()
    (tmp_path / "pkg/a.py").write_bytes(text.encode(encoding))
    runner.run("toy", [tmp_path / "pkg"])
    assert applied == (tmp_path / "pkg/a.py").read_bytes() == text.replace("old_name", "new_name").encode(encoding)


async def test_a_new_helper_beside_an_executable_file_is_a_new_executable_file_in_the_patch(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/tool.py").write_text("#!/usr/bin/env python\nold_name = 1\n")
    (tmp_path / "pkg/tool.py").chmod(0o755)
    monkeypatch.chdir(tmp_path)
    result = await CliRunner().invoke(cli, ["codemod", "run", "helping", "pkg", "--diff"], catch_exceptions=False)
    assert "new file mode 100755\n--- /dev/null\n+++ b/pkg/_helper.py\n@@ -0,0 +1 @@\n+VALUE = 'é'\n" in result.stdout
    _git_apply(tmp_path, result.stdout_bytes)
    assert (tmp_path / "pkg/_helper.py").stat().st_mode & 0o111
    assert (tmp_path / "pkg/_helper.py").read_text(encoding="utf-8") == "VALUE = 'é'\n"
    assert (tmp_path / "pkg/tool.py").read_text() == "#!/usr/bin/env python\nnew_name = 1\n"


def test_patches_for_mode_changes_deletions_and_binary_files_git_apply(tmp_path):
    (tmp_path / "mode.py").write_text("x = 1\n")
    (tmp_path / "gone.py").write_text("y = 2\n")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01old")
    data = b"".join(
        [
            patch("mode.py", "x = 1\n", "x = 1\n", mode=0o755, old_mode=0o644),
            patch("gone.py", "y = 2\n", None, mode=0o644),
            binary_patch("blob.bin", b"\x00\x01old", bytes(range(256)) * 3, 0o644),
            binary_patch("new.bin", None, b"\xff\x00" * 40, 0o755),
        ]
    )
    _git_apply(tmp_path, data)
    assert (tmp_path / "mode.py").stat().st_mode & 0o111
    assert not (tmp_path / "gone.py").exists()
    assert (tmp_path / "blob.bin").read_bytes() == bytes(range(256)) * 3
    assert (tmp_path / "new.bin").read_bytes() == b"\xff\x00" * 40
    assert (tmp_path / "new.bin").stat().st_mode & 0o111
