"""Which files a run reads: folders walked without hidden and virtualenv folders, duplicates dropped."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods.files import discover


def test_discover_skips_hidden_and_virtualenv_folders(tmp_path):
    write_tree(tmp_path, {"a.py": "", ".git/b.py": "", "venv/pyvenv.cfg": "", "venv/c.py": "", "__pycache__/d.py": ""})
    assert [t.relative.as_posix() for t in discover([tmp_path])] == ["a.py"]


def test_discover_deduplicates_and_keeps_a_file_argument(tmp_path):
    write_tree(tmp_path, {"a.py": ""})
    targets = discover([tmp_path / "a.py", tmp_path])
    assert [t.relative.as_posix() for t in targets] == ["a.py"]


def test_two_roots_holding_the_same_relative_path_keep_their_folder_names(tmp_path):
    write_tree(tmp_path, {"repositories/base.py": "", "repositories/users.py": "", "services/base.py": ""})
    targets = discover([tmp_path / "repositories", tmp_path / "services"])
    assert [t.relative.as_posix() for t in targets] == [
        "repositories/base.py",
        "repositories/users.py",
        "services/base.py",
    ]


def test_roots_that_do_not_clash_keep_the_layout_they_had(tmp_path):
    write_tree(tmp_path, {"a/one.py": "", "b/two.py": ""})
    assert [t.relative.as_posix() for t in discover([tmp_path / "a", tmp_path / "b"])] == ["one.py", "two.py"]


def test_everything_lists_the_files_a_run_does_not_convert_too(tmp_path):
    write_tree(tmp_path, {"a.py": "", "README.md": "", "sub/data.json": "", ".git/config": "", "__pycache__/a.pyc": ""})
    targets = discover([tmp_path], everything=True)
    assert [(t.relative.as_posix(), t.convert) for t in targets] == [
        ("README.md", False),
        ("a.py", True),
        ("sub/data.json", False),
    ]
    assert [t.relative.as_posix() for t in discover([tmp_path])] == ["a.py"]
