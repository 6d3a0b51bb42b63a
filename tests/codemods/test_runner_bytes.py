"""What a run keeps exactly: the PEP 263 encoding, a UTF-8 BOM, CRLF line endings, file modes; and
``--out`` holds every file under the given paths, converted or copied byte for byte."""

from __future__ import annotations

import libcst as cst
import pytest
from codemod_helpers import write_tree

from codemods import registry, runner
from codemods.base import Codemod, Notes


@pytest.fixture(autouse=True)
def toy_codemod(monkeypatch):
    monkeypatch.setitem(registry.CODEMODS, "toy", "codemod_helpers:TOY")


def _add_text(module: cst.Module, notes: Notes) -> cst.Module:
    return module.with_changes(body=[cst.parse_statement('HELP = """one\ntwo"""\n'), *module.body])


IMPORT = Codemod(name="imp", summary="Adds a multi-line string.", needles=("old_name",), transform=_add_text)
LATIN1 = "# -*- coding: latin-1 -*-\nname = 'café'\nold_name = 1\n"


def test_a_declared_latin1_file_is_converted_and_written_back_in_latin1(tmp_path):
    (tmp_path / "a.py").write_bytes(LATIN1.encode("latin-1"))
    result = runner.run("toy", [tmp_path])
    assert result.files[0].status == runner.CHANGED
    assert (tmp_path / "a.py").read_bytes() == LATIN1.replace("old_name", "new_name").encode("latin-1")


def test_text_the_declared_encoding_cannot_hold_fails_that_file_and_leaves_it(tmp_path, monkeypatch):
    source = "# -*- coding: latin-1 -*-\nold_name = 1\n"
    (tmp_path / "a.py").write_bytes(source.encode("latin-1"))
    monkeypatch.setattr(runner, "_convert", lambda *args: "# -*- coding: latin-1 -*-\nnew_name = '€'\n")
    result = runner.run("toy", [tmp_path])
    file = result.files[0]
    assert file.status == runner.FAILED
    assert file.error == f"{tmp_path / 'a.py'}:2: converted text cannot be written in iso-8859-1; file left alone"
    assert (tmp_path / "a.py").read_bytes() == source.encode("latin-1")


def test_a_utf8_bom_is_kept(tmp_path):
    (tmp_path / "a.py").write_bytes(b"\xef\xbb\xbfold_name = 'caf\xc3\xa9'\n")
    runner.run("toy", [tmp_path])
    assert (tmp_path / "a.py").read_bytes() == b"\xef\xbb\xbfnew_name = 'caf\xc3\xa9'\n"


def test_every_line_of_a_crlf_file_stays_crlf_even_lines_the_codemod_adds(tmp_path, monkeypatch):
    (tmp_path / "a.py").write_bytes(b"old_name = 1\r\ny = 2\r\n")
    monkeypatch.setattr(runner, "_convert", lambda *args: "new_name = 1\r\nadded = 3\ny = 2\r\n")
    runner.run("toy", [tmp_path])
    assert (tmp_path / "a.py").read_bytes() == b"new_name = 1\r\nadded = 3\r\ny = 2\r\n"


def test_a_crlf_file_given_a_multi_line_string_by_libcst_stays_crlf(tmp_path, monkeypatch):
    monkeypatch.setitem(registry.CODEMODS, "imp", "test_runner_bytes:IMPORT")
    (tmp_path / "a.py").write_bytes(b"old_name = 1\r\ny = 2\r\n")
    runner.run("imp", [tmp_path])
    assert (tmp_path / "a.py").read_bytes() == b'HELP = """one\r\ntwo"""\r\nold_name = 1\r\ny = 2\r\n'


def test_out_copies_every_file_it_does_not_convert_byte_for_byte_with_its_mode(tmp_path):
    src = write_tree(
        tmp_path / "src", {"a.py": "old_name = 1\n", "skipped.py": "x = 1\r\n", "bad.py": "old_name = (\n"}
    )
    (src / "data.bin").write_bytes(b"\x00\xff\x80 binary")
    (src / "undecodable.py").write_bytes(b"s = '\xe9'\n")  # no declaration: not UTF-8
    (src / "docs").mkdir()
    (src / "docs/README.md").write_text("# hi\n")
    (src / "run.sh").write_text("#!/bin/sh\n")
    (src / "run.sh").chmod(0o755)
    (src / "skipped.py").chmod(0o640)
    out = tmp_path / "out"
    runner.run("toy", [src], out=out)
    for name in ("skipped.py", "bad.py", "data.bin", "undecodable.py", "docs/README.md", "run.sh"):
        assert (out / name).read_bytes() == (src / name).read_bytes(), name
        assert (out / name).stat().st_mode & 0o7777 == (src / name).stat().st_mode & 0o7777, name
    assert (out / "a.py").read_text() == "new_name = 1\n"


def test_converted_files_under_out_keep_their_mode(tmp_path):
    src = write_tree(tmp_path / "src", {"a.py": "old_name = 1\n"})
    (src / "a.py").chmod(0o644)
    runner.run("toy", [src], out=tmp_path / "out")
    assert (tmp_path / "out/a.py").stat().st_mode & 0o7777 == 0o644


def test_an_out_folder_inside_the_given_path_is_not_copied_into_itself(tmp_path):
    src = write_tree(tmp_path, {"a.py": "old_name = 1\n", "notes.txt": "hi\n"})
    runner.run("toy", [src], out=src / "out")
    result = runner.run("toy", [src], out=src / "out")
    assert sorted(p.relative_to(src / "out").as_posix() for p in (src / "out").rglob("*")) == ["a.py", "notes.txt"]
    assert [f.relative for f in result.files] == ["a.py"]
