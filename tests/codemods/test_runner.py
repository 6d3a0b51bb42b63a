"""The runner: pre-check, failures that never stop a run, atomic writes, --out, jobs, TODO counts."""

from __future__ import annotations

import pytest
from codemod_helpers import write_tree

from codemods import registry, runner


@pytest.fixture(autouse=True)
def toy_codemod(monkeypatch):
    monkeypatch.setitem(registry.CODEMODS, "toy", "codemod_helpers:TOY")


def _by_name(result: runner.RunResult) -> dict[str, runner.FileResult]:
    return {f.relative: f for f in result.files}


def test_changed_file_is_rewritten_in_place(tmp_path):
    write_tree(tmp_path, {"a.py": "old_name = 1\n"})
    result = runner.run("toy", [tmp_path])
    assert (tmp_path / "a.py").read_text() == "new_name = 1\n"
    assert result.count(runner.CHANGED) == 1


def test_file_without_needle_is_skipped_unparsed(tmp_path):
    write_tree(tmp_path, {"a.py": "this is not python\n"})
    result = runner.run("toy", [tmp_path])
    assert _by_name(result)["a.py"].status == runner.SKIPPED


def test_unparsable_file_is_reported_with_line_and_run_goes_on(tmp_path):
    write_tree(tmp_path, {"a.py": "x = 1\nold_name = (\n", "b.py": "old_name = 2\n"})
    result = runner.run("toy", [tmp_path])
    files = _by_name(result)
    assert files["a.py"].status == runner.FAILED
    assert files["a.py"].error.startswith(f"{tmp_path / 'a.py'}:")
    assert (tmp_path / "a.py").read_text() == "x = 1\nold_name = (\n"
    assert (tmp_path / "b.py").read_text() == "new_name = 2\n"


def test_invalid_output_is_never_written(tmp_path):
    write_tree(tmp_path, {"a.py": "old_name = breakme\n"})
    result = runner.run("toy", [tmp_path])
    assert _by_name(result)["a.py"].status == runner.FAILED
    assert "invalid Python" in _by_name(result)["a.py"].error
    assert (tmp_path / "a.py").read_text() == "old_name = breakme\n"


def test_transform_crash_is_a_failed_file_not_a_failed_run(tmp_path):
    write_tree(tmp_path, {"a.py": "crashme\n", "b.py": "old_name\n"})
    result = runner.run("toy", [tmp_path])
    assert [f.status for f in result.files] == [runner.FAILED, runner.CHANGED]


def test_no_write_leaves_files_alone(tmp_path):
    write_tree(tmp_path, {"a.py": "old_name = 1\n"})
    result = runner.run("toy", [tmp_path], write=False)
    assert (tmp_path / "a.py").read_text() == "old_name = 1\n"
    assert result.files[0].after == "new_name = 1\n"


def test_out_writes_every_file_under_relative_paths(tmp_path):
    src = write_tree(tmp_path / "src", {"pkg/__init__.py": "", "pkg/a.py": "old_name = 1\n", "pkg/b.py": "x = 1\n"})
    out = tmp_path / "out"
    runner.run("toy", [src / "pkg"], out=out)
    assert (out / "a.py").read_text() == "new_name = 1\n"
    assert (out / "b.py").read_text() == "x = 1\n"
    assert (out / "__init__.py").exists()
    assert (src / "pkg/a.py").read_text() == "old_name = 1\n"


def test_crlf_line_endings_are_kept(tmp_path):
    (tmp_path / "a.py").write_bytes(b"old_name = 1\r\ny = 2\r\n")
    runner.run("toy", [tmp_path])
    assert (tmp_path / "a.py").read_bytes() == b"new_name = 1\r\ny = 2\r\n"


def test_atomic_write_keeps_mode_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "a.py"
    path.write_text("x")
    path.chmod(0o755)
    runner.write_atomic(path, "y")
    assert path.read_text() == "y"
    assert path.stat().st_mode & 0o777 == 0o755
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]


def test_jobs_give_the_same_results_in_the_same_order(tmp_path):
    write_tree(tmp_path, {f"m{i:02}.py": ("old_name\n" if i % 2 else "x\n") for i in range(12)})
    one = runner.run("toy", [tmp_path], write=False, jobs=1)
    two = runner.run("toy", [tmp_path], write=False, jobs=2)
    assert [(f.path, f.status, f.after) for f in one.files] == [(f.path, f.status, f.after) for f in two.files]


def test_todos_are_counted(tmp_path):
    write_tree(tmp_path, {"a.py": "old_name  # TODO(asyncshift): look\n"})
    assert runner.run("toy", [tmp_path]).todos == 1
