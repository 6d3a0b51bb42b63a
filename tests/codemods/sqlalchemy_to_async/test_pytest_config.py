"""The pytest-asyncio settings written into the project's pytest config when tests became async."""

from __future__ import annotations

import configparser
import tomllib
from pathlib import Path

from codemod_helpers import write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import pytest_config

TESTS = """\
from sqlalchemy.orm import Session


def test_commits(s: Session):
    s.commit()
"""
SYNC_TESTS = "def test_adds():\n    assert 1 + 1 == 2\n"
KEYS = {
    "asyncio_mode": "auto",
    "asyncio_default_fixture_loop_scope": "session",
    "asyncio_default_test_loop_scope": "session",
}


def _ini(path: Path, section: str) -> dict:
    parser = configparser.RawConfigParser()
    parser.read_string(path.read_text())
    return dict(parser.items(section))


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    return write_tree(tmp_path, {"setup.py": "", "tests/test_db.py": TESTS, **files})


# -- left alone ------------------------------------------------------------------------------------------


def test_no_config_is_touched_when_no_test_became_async(tmp_path):
    _project(tmp_path, {"tests/test_db.py": SYNC_TESTS, "pytest.ini": "[pytest]\n"})
    result = run("sqlalchemy-to-async", [tmp_path / "tests"], write=True)
    assert result.extras == []
    assert (tmp_path / "pytest.ini").read_text() == "[pytest]\n"


def test_a_config_already_set_is_left_as_it_is(tmp_path):
    text = "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = session\n"
    text += "asyncio_default_test_loop_scope = session\n"
    _project(tmp_path, {"pytest.ini": text})
    result = run("sqlalchemy-to-async", [tmp_path / "tests"], write=True)
    assert [e for e in result.extras if e.status != "unchanged"] == []
    assert (tmp_path / "pytest.ini").read_text() == text


# -- written ---------------------------------------------------------------------------------------------


def test_pytest_ini_keeps_its_comments_order_and_keys(tmp_path):
    before = (
        "# the project's settings\n[pytest]\naddopts = -ra\n; a comment\ntestpaths =\n    tests\n\n[other]\nx = 1\n"
    )
    _project(tmp_path, {"pytest.ini": before})
    result = run("sqlalchemy-to-async", [tmp_path / "tests"], write=True)
    after = (tmp_path / "pytest.ini").read_text()
    assert after.startswith("# the project's settings\n[pytest]\naddopts = -ra\n; a comment\ntestpaths =\n    tests\n")
    assert after.endswith("asyncio_default_test_loop_scope = session\n\n[other]\nx = 1\n")
    assert _ini(tmp_path / "pytest.ini", "pytest") == {"addopts": "-ra", "testpaths": "\ntests", **KEYS}
    assert "test_db.py" in result.files[0].path
    assert any("../pytest.ini updated" in note for note in result.files[0].notes)


def test_pyproject_ini_options_table_gets_toml_strings(tmp_path):
    before = '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-ra"  # terse\n\n'
    before += "[tool.ruff]\nline-length = 99\n"
    _project(tmp_path, {"pyproject.toml": before})
    run("sqlalchemy-to-async", [tmp_path / "tests"], write=True)
    after = (tmp_path / "pyproject.toml").read_text()
    assert 'addopts = "-ra"  # terse\nasyncio_mode = "auto"\n' in after
    data = tomllib.loads(after)
    assert data["tool"]["pytest"]["ini_options"] == {"addopts": "-ra", **KEYS}
    assert data["tool"]["ruff"] == {"line-length": 99} and data["project"] == {"name": "x"}


def test_setup_cfg_tool_pytest_section(tmp_path):
    _project(tmp_path, {"setup.cfg": "[metadata]\nname = x\n\n[tool:pytest]\nminversion = 7\n"})
    run("sqlalchemy-to-async", [tmp_path / "tests"], write=True)
    assert _ini(tmp_path / "setup.cfg", "tool:pytest") == {"minversion": "7", **KEYS}
    assert _ini(tmp_path / "setup.cfg", "metadata") == {"name": "x"}


def test_tox_ini_pytest_section(tmp_path):
    _project(tmp_path, {"tox.ini": "[tox]\nenvlist = py311\n\n[pytest]\nxfail_strict = true\n"})
    run("sqlalchemy-to-async", [tmp_path / "tests"], write=True)
    assert _ini(tmp_path / "tox.ini", "pytest") == {"xfail_strict": "true", **KEYS}
    assert _ini(tmp_path / "tox.ini", "tox") == {"envlist": "py311"}


def test_a_tox_ini_without_a_pytest_section_is_not_pytest_config(tmp_path):
    """pytest skips it (and a setup.cfg without [tool:pytest]); a pytest.ini is made at the project's root."""
    _project(tmp_path, {"tox.ini": "[tox]\nenvlist = py311\n", "setup.cfg": "[metadata]\nname = x\n"})
    run("sqlalchemy-to-async", [tmp_path / "tests"], write=True)
    assert (tmp_path / "tox.ini").read_text() == "[tox]\nenvlist = py311\n"
    assert _ini(tmp_path / "pytest.ini", "pytest") == KEYS


def test_no_config_makes_pytest_ini_at_the_project_root_not_in_the_tests_folder(tmp_path):
    """Beside the tests it would cut off a conftest.py above them (confcutdir) and be missed by a bare
    ``pytest`` run from the root."""
    _project(tmp_path, {})
    result = run("sqlalchemy-to-async", [tmp_path / "tests"])
    assert not (tmp_path / "tests" / "pytest.ini").exists()
    assert _ini(tmp_path / "pytest.ini", "pytest") == KEYS
    assert [e.status for e in result.extras] == ["added"]


def test_a_pyproject_without_a_pytest_table_gets_one(tmp_path):
    _project(tmp_path, {"pyproject.toml": '[project]\nname = "x"\n'})
    run("sqlalchemy-to-async", [tmp_path / "tests"], write=True)
    assert not (tmp_path / "pytest.ini").exists()
    after = (tmp_path / "pyproject.toml").read_text()
    assert after.startswith('[project]\nname = "x"\n\n[tool.pytest.ini_options]\n')
    assert tomllib.loads(after)["tool"]["pytest"]["ini_options"] == KEYS


def test_the_nearest_config_wins_as_pytest_finds_it(tmp_path):
    _project(
        tmp_path, {"pyproject.toml": '[tool.pytest.ini_options]\naddopts = "-q"\n', "tests/pytest.ini": "[pytest]\n"}
    )
    run("sqlalchemy-to-async", [tmp_path / "tests"], write=True)
    assert (tmp_path / "pyproject.toml").read_text() == '[tool.pytest.ini_options]\naddopts = "-q"\n'
    assert _ini(tmp_path / "tests" / "pytest.ini", "pytest") == KEYS


def test_a_conflicting_mode_is_kept_with_a_todo_and_a_note(tmp_path):
    _project(tmp_path, {"pytest.ini": "[pytest]\nasyncio_mode = strict\n"})
    result = run("sqlalchemy-to-async", [tmp_path / "tests"], write=True)
    after = (tmp_path / "pytest.ini").read_text()
    assert after.splitlines()[:3] == [
        "[pytest]",
        "# TODO(asyncshift): asyncio_mode is 'strict' here; the tests made async need 'auto' (pytest-asyncio)",
        "asyncio_mode = strict",
    ]
    assert _ini(tmp_path / "pytest.ini", "pytest")["asyncio_mode"] == "strict"
    assert any("asyncio_mode is 'strict', kept" in note for note in result.files[0].notes)


def test_the_report_requires_the_pytest_asyncio_that_knows_every_key(tmp_path):
    """asyncio_default_test_loop_scope came in pytest-asyncio 0.26; an older one warns it is unknown."""
    _project(tmp_path, {})
    result = run("sqlalchemy-to-async", [tmp_path / "tests"], write=False)
    assert "pytest-asyncio>=0.26" in result.requirements


# -- the run's modes -------------------------------------------------------------------------------------


def test_check_and_diff_write_nothing(tmp_path):
    _project(tmp_path, {"pytest.ini": "[pytest]\n"})
    result = run("sqlalchemy-to-async", [tmp_path / "tests"], write=False)
    assert (tmp_path / "pytest.ini").read_text() == "[pytest]\n"
    assert [(e.path.resolve(), e.status) for e in result.extras] == [((tmp_path / "pytest.ini").resolve(), "updated")]


def test_out_writes_a_config_inside_the_paths_given_and_not_one_outside(tmp_path):
    source = _project(tmp_path / "src", {"pytest.ini": "[pytest]\n"})
    run("sqlalchemy-to-async", [source], out=tmp_path / "inside")
    assert _ini(tmp_path / "inside" / "pytest.ini", "pytest") == KEYS
    result = run("sqlalchemy-to-async", [source / "tests"], out=tmp_path / "outside")
    assert not (tmp_path / "pytest.ini").exists() and (source / "pytest.ini").read_text() == "[pytest]\n"
    assert any("not written under --out" in note for note in result.files[0].notes)


def test_a_config_that_does_not_parse_is_left_alone_with_a_note(tmp_path):
    _project(tmp_path, {"pyproject.toml": '[tool.pytest.ini_options\naddopts = "-q"\n'})
    result = run("sqlalchemy-to-async", [tmp_path / "tests"], write=True)
    assert (tmp_path / "pyproject.toml").read_text() == '[tool.pytest.ini_options\naddopts = "-q"\n'
    assert result.extras == []
    assert any("pyproject.toml is not valid TOML" in note for note in result.files[0].notes)


def test_with_settings_is_idempotent():
    text, _ = pytest_config.with_settings("[pytest]\naddopts = -q\n", "pytest", "ini")
    assert pytest_config.with_settings(text, "pytest", "ini") == (text, [])


async def test_check_names_the_config_and_diff_shows_it(tmp_path, monkeypatch):
    from asyncclick.testing import CliRunner

    from compat.control.commands import cli

    _project(tmp_path, {"pytest.ini": "[pytest]\n"})
    monkeypatch.chdir(tmp_path)
    checked = await CliRunner().invoke(cli, ["codemod", "run", "sqlalchemy-to-async", "tests", "--check"])
    assert checked.exit_code == 1 and "would change: pytest.ini\n" in checked.output
    shown = await CliRunner().invoke(cli, ["codemod", "run", "sqlalchemy-to-async", "tests", "--diff"])
    assert "+++ b/pytest.ini" in shown.output and "+asyncio_mode = auto" in shown.output
    assert (tmp_path / "pytest.ini").read_text() == "[pytest]\n"


async def test_twin_leaves_the_config_outside_the_twin_alone_with_a_note(tmp_path, monkeypatch):
    from asyncclick.testing import CliRunner

    from compat.control.commands import cli

    _project(tmp_path, {"pytest.ini": "[pytest]\n", "tests/__init__.py": ""})
    monkeypatch.chdir(tmp_path)
    done = await CliRunner().invoke(
        cli, ["codemod", "run", "sqlalchemy-to-async", "tests", "--twin", "tests=tests_aio"]
    )
    assert done.exit_code == 0, done.output
    assert (tmp_path / "pytest.ini").read_text() == "[pytest]\n" and (tmp_path / "tests_aio" / "test_db.py").exists()
    assert "pytest.ini: note: a helper file outside tests; not written by --twin" in done.output
