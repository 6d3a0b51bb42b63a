"""Extra files a transform asks for (a helper module beside the converted file): written, diffed, counted."""

from __future__ import annotations

import json
import shutil
import subprocess

import libcst as cst
import pytest
from asyncclick.testing import CliRunner

from codemods import registry, report, runner
from codemods.base import Codemod, Notes
from compat.control.commands import cli

HELPER = "VALUE = 1\n"


def _with_helper(module: cst.Module, notes: Notes) -> cst.Module:
    """Appends a line naming the file's relative path and asks for ``_helper.py`` beside it."""
    notes.files["_helper.py"] = HELPER
    return module.with_changes(body=[*module.body, cst.parse_statement(f"SEEN = {notes.path!r}\n")])


EXTRA = Codemod(name="extra", summary="Asks for a helper file.", needles=("wants_helper",), transform=_with_helper)


@pytest.fixture(autouse=True)
def extra_codemod(monkeypatch):
    monkeypatch.setitem(registry.CODEMODS, "extra", "test_runner_extra_files:EXTRA")


@pytest.fixture
def tree(tmp_path):
    for name in ("pkg/a.py", "pkg/b.py", "pkg/sub/c.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("wants_helper = 1\n")
    (tmp_path / "pkg/d.py").write_text("x = 1\n")
    return tmp_path


def test_transform_sees_its_path_relative_to_the_run_root(tree):
    result = runner.run("extra", [tree / "pkg"], write=False)
    assert {f.relative: f.after for f in result.files}["sub/c.py"].endswith("SEEN = 'sub/c.py'\n")


def test_extra_files_are_written_once_beside_their_files_in_place(tree):
    result = runner.run("extra", [tree / "pkg"])
    assert (tree / "pkg/_helper.py").read_text() == HELPER
    assert (tree / "pkg/sub/_helper.py").read_text() == HELPER
    assert result.added == 2
    assert "2 extra files written" in report.summary(result, mode="write")
    assert runner.run("extra", [tree / "pkg"]).added == 0, "an identical helper is left alone"


def test_two_paths_of_one_run_each_get_their_helper(tree):
    """Both roots ask for ``_helper.py`` by the same relative name; each lands beside its own files."""
    (tree / "tests").mkdir()
    (tree / "tests/test_a.py").write_text("wants_helper = 1\n")
    result = runner.run("extra", [tree / "pkg/sub", tree / "tests"])
    assert (tree / "pkg/sub/_helper.py").read_text() == HELPER
    assert (tree / "tests/_helper.py").read_text() == HELPER
    assert result.added == 2


def test_extra_files_go_under_out_and_sources_stay(tree):
    result = runner.run("extra", [tree / "pkg"], out=tree / "out")
    assert (tree / "out/_helper.py").read_text() == HELPER
    assert (tree / "out/sub/_helper.py").read_text() == HELPER
    assert not (tree / "pkg/_helper.py").exists()
    data = result.as_json()
    assert data["summary"]["added"] == 2
    assert {f["path"]: f.get("extra_files") for f in data["files"]}[str(tree / "pkg/sub/c.py")] == ["sub/_helper.py"]


def test_no_write_writes_no_extra_file(tree):
    result = runner.run("extra", [tree / "pkg"], write=False)
    assert not (tree / "pkg/_helper.py").exists()
    assert "2 extra files would be written" in report.summary(result, mode="diff")


async def test_diff_shows_extra_files_as_new_files_and_git_applies(tree, monkeypatch):
    monkeypatch.chdir(tree)
    result = await CliRunner().invoke(cli, ["codemod", "run", "extra", "pkg", "--diff"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "new file mode 100644\n--- /dev/null\n+++ b/pkg/_helper.py" in result.stdout
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    subprocess.run(["git", "init", "-q"], check=True)
    (tree / "change.patch").write_text(result.stdout)
    subprocess.run(["git", "apply", "change.patch"], check=True)
    assert (tree / "pkg/sub/_helper.py").read_text() == HELPER
    assert (tree / "pkg/a.py").read_text().endswith("SEEN = 'a.py'\n")


def test_report_file_lists_extra_files(tree):
    result = runner.run("extra", [tree / "pkg/a.py"], write=False)
    target = tree / "report.json"
    report.write_json(result, target)
    assert json.loads(target.read_text())["files"][0]["extra_files"] == ["_helper.py"]


@pytest.mark.parametrize("mode", [0o644, 0o664])
def test_a_new_helper_file_gets_the_mode_of_the_converted_file_beside_it(tree, mode):
    for name in ("pkg/a.py", "pkg/b.py", "pkg/d.py"):
        (tree / name).chmod(mode)
    runner.run("extra", [tree / "pkg/a.py", tree / "pkg/b.py"])
    assert (tree / "pkg/_helper.py").stat().st_mode & 0o7777 == mode
    runner.run("extra", [tree / "pkg/a.py"], out=tree / "out")
    assert (tree / "out/_helper.py").stat().st_mode & 0o7777 == mode
