"""``asyncshift codemod``: list, run in place, --diff (a patch git applies), --check, --out, --report."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from asyncclick.testing import CliRunner

from codemods import registry
from compat.control.commands import cli


@pytest.fixture(autouse=True)
def toy_codemod(monkeypatch):
    monkeypatch.setitem(registry.CODEMODS, "toy", "codemod_helpers:TOY")


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("old_name = 1\n")
    (tmp_path / "pkg" / "b.py").write_text("x = [1]\n")
    (tmp_path / "pkg" / "c.py").write_text("old_name = 3")  # no final newline
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def invoke(*args):
    return await CliRunner().invoke(cli, ["codemod", *args], catch_exceptions=False)


async def test_list_shows_each_codemod_with_its_summary():
    result = await invoke("list")
    assert "typer-to-asyncclick" in result.output and "toy" in result.output


async def test_run_rewrites_in_place_and_summarises(project):
    result = await invoke("run", "toy", "pkg")
    assert result.exit_code == 0
    assert (project / "pkg/a.py").read_text() == "new_name = 1\n"
    assert "2 files changed, 0 unchanged, 1 skipped, 0 failed" in result.output


async def test_diff_writes_nothing_and_git_applies(project):
    result = await invoke("run", "toy", "pkg", "--diff")
    assert result.exit_code == 0
    assert (project / "pkg/a.py").read_text() == "old_name = 1\n"
    assert "No files were modified." in result.stderr
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    subprocess.run(["git", "init", "-q"], check=True)
    (project / "change.patch").write_text(result.stdout)
    subprocess.run(["git", "apply", "--check", "change.patch"], check=True)
    subprocess.run(["git", "apply", "change.patch"], check=True)
    assert (project / "pkg/c.py").read_text() == "new_name = 3"


async def test_check_exits_1_when_something_would_change(project):
    result = await invoke("run", "toy", "pkg", "--check")
    assert result.exit_code == 1
    assert "would change: pkg/a.py" in result.stderr
    assert "No files were modified." in result.stdout
    assert (project / "pkg/a.py").read_text() == "old_name = 1\n"


async def test_check_exits_0_when_nothing_would_change(project):
    result = await invoke("run", "toy", "pkg/b.py", "--check")
    assert result.exit_code == 0


async def test_failed_file_is_reported_and_exit_is_1(project):
    (project / "pkg/d.py").write_text("old_name = (\n")
    result = await invoke("run", "toy", "pkg")
    assert result.exit_code == 1
    assert "pkg/d.py:" in result.stderr
    assert (project / "pkg/a.py").read_text() == "new_name = 1\n"


async def test_out_and_report(project):
    result = await invoke("run", "toy", "pkg", "--out", "out", "-j", "2", "--report", "r.json")
    assert result.exit_code == 0
    assert (project / "out/a.py").read_text() == "new_name = 1\n"
    assert (project / "pkg/a.py").read_text() == "old_name = 1\n"
    data = json.loads((project / "r.json").read_text())
    assert data["summary"]["changed"] == 2
    assert {f["status"] for f in data["files"]} == {"changed", "skipped"}


async def test_unknown_codemod_is_a_usage_error(project):
    result = await invoke("run", "nope", "pkg")
    assert result.exit_code == 2
    assert "typer-to-asyncclick" in result.output


async def test_diff_and_out_together_is_a_usage_error(project):
    result = await invoke("run", "toy", "pkg", "--diff", "--out", "o")
    assert result.exit_code == 2


async def test_help_teaches_with_examples():
    result = await invoke("run", "--help")
    assert "Examples:" in result.output and "--diff" in result.output


async def test_diff_of_bom_and_crlf_files_git_applies_to_the_same_bytes_as_a_run(project, tmp_path):
    (project / "pkg/a.py").write_bytes(b"\xef\xbb\xbfold_name = 1\n")
    (project / "pkg/c.py").write_bytes(b"x = 0\r\nold_name = 3\r\n")
    expected = {"a.py": b"\xef\xbb\xbfnew_name = 1\n", "c.py": b"x = 0\r\nnew_name = 3\r\n"}
    result = await invoke("run", "toy", "pkg", "--diff")
    assert result.exit_code == 0
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    subprocess.run(["git", "init", "-q"], check=True)
    (project / "change.patch").write_bytes(result.stdout_bytes)
    subprocess.run(["git", "apply", "change.patch"], check=True)
    assert {name: (project / "pkg" / name).read_bytes() for name in expected} == expected
