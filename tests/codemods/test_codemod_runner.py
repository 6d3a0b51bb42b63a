"""The runner: pre-check, failures that never stop a run, atomic writes, --out, jobs, report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codemods import registry, report, runner
from codemods.files import discover


@pytest.fixture(autouse=True)
def toy_codemod(monkeypatch):
    monkeypatch.setitem(registry.CODEMODS, "toy", "codemod_helpers:TOY")


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def _by_name(result: runner.RunResult) -> dict[str, runner.FileResult]:
    return {f.relative: f for f in result.files}


def test_changed_file_is_rewritten_in_place(tmp_path):
    _tree(tmp_path, {"a.py": "old_name = 1\n"})
    result = runner.run("toy", [tmp_path])
    assert (tmp_path / "a.py").read_text() == "new_name = 1\n"
    assert result.count(runner.CHANGED) == 1


def test_file_without_needle_is_skipped_unparsed(tmp_path):
    _tree(tmp_path, {"a.py": "this is not python\n"})
    result = runner.run("toy", [tmp_path])
    assert _by_name(result)["a.py"].status == runner.SKIPPED


def test_unparsable_file_is_reported_with_line_and_run_goes_on(tmp_path):
    _tree(tmp_path, {"a.py": "x = 1\nold_name = (\n", "b.py": "old_name = 2\n"})
    result = runner.run("toy", [tmp_path])
    files = _by_name(result)
    assert files["a.py"].status == runner.FAILED
    assert files["a.py"].error.startswith(f"{tmp_path / 'a.py'}:")
    assert (tmp_path / "a.py").read_text() == "x = 1\nold_name = (\n"
    assert (tmp_path / "b.py").read_text() == "new_name = 2\n"


def test_invalid_output_is_never_written(tmp_path):
    _tree(tmp_path, {"a.py": "old_name = breakme\n"})
    result = runner.run("toy", [tmp_path])
    assert _by_name(result)["a.py"].status == runner.FAILED
    assert "invalid Python" in _by_name(result)["a.py"].error
    assert (tmp_path / "a.py").read_text() == "old_name = breakme\n"


def test_transform_crash_is_a_failed_file_not_a_failed_run(tmp_path):
    _tree(tmp_path, {"a.py": "crashme\n", "b.py": "old_name\n"})
    result = runner.run("toy", [tmp_path])
    assert [f.status for f in result.files] == [runner.FAILED, runner.CHANGED]


def test_no_write_leaves_files_alone(tmp_path):
    _tree(tmp_path, {"a.py": "old_name = 1\n"})
    result = runner.run("toy", [tmp_path], write=False)
    assert (tmp_path / "a.py").read_text() == "old_name = 1\n"
    assert result.files[0].after == "new_name = 1\n"


def test_out_writes_every_file_under_relative_paths(tmp_path):
    src = _tree(tmp_path / "src", {"pkg/__init__.py": "", "pkg/a.py": "old_name = 1\n", "pkg/b.py": "x = 1\n"})
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
    _tree(tmp_path, {f"m{i:02}.py": ("old_name\n" if i % 2 else "x\n") for i in range(12)})
    one = runner.run("toy", [tmp_path], write=False, jobs=1)
    two = runner.run("toy", [tmp_path], write=False, jobs=2)
    assert [(f.path, f.status, f.after) for f in one.files] == [(f.path, f.status, f.after) for f in two.files]


def test_todos_are_counted(tmp_path):
    _tree(tmp_path, {"a.py": "old_name  # TODO(asyncshift): look\n"})
    assert runner.run("toy", [tmp_path]).todos == 1


def test_notes_and_json_report(tmp_path):
    _tree(tmp_path, {"a.py": "old_name  # note-me\n"})
    result = runner.run("toy", [tmp_path], write=False)
    target = tmp_path / "r" / "report.json"
    report.write_json(result, target)
    data = json.loads(target.read_text())
    assert data["summary"]["changed"] == 1
    assert data["files"][0]["notes"] == ["saw a note"]


def test_summary_says_no_files_were_modified(tmp_path):
    _tree(tmp_path, {"a.py": "x\n"})
    text = report.summary(runner.run("toy", [tmp_path]), mode="write")
    assert "0 files changed" in text and "No files were modified." in text


def test_discover_skips_hidden_and_virtualenv_folders(tmp_path):
    _tree(tmp_path, {"a.py": "", ".git/b.py": "", "venv/pyvenv.cfg": "", "venv/c.py": "", "__pycache__/d.py": ""})
    assert [t.relative.as_posix() for t in discover([tmp_path])] == ["a.py"]


def test_discover_deduplicates_and_keeps_a_file_argument(tmp_path):
    _tree(tmp_path, {"a.py": ""})
    targets = discover([tmp_path / "a.py", tmp_path])
    assert [t.relative.as_posix() for t in targets] == ["a.py"]


def test_unknown_codemod_names_the_known_ones():
    with pytest.raises(registry.UnknownCodemod, match="typer-to-asyncclick"):
        registry.get("nope")
