"""A project whose pytest config turns warnings into errors (``filterwarnings = error``, or ``"error"`` in its
list): the converted tests need pytest-asyncio, whose 0.24 and later warn at start while
``asyncio_default_fixture_loop_scope`` is unset, and the warning made an error stops the run before any test
(an INTERNALERROR, seen on a real program's suite). The conversion says so in a note on each test module it
made async, naming the option; none where the option is set, or warnings stay warnings, or no config.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from codemods import runner
from codemods.typer_to_asyncclick import pytest_config

TEST = """\
    from typer.testing import CliRunner

    from tool.cli import app


    def test_hello():
        assert CliRunner().invoke(app, ["--help"]).exit_code == 0
    """

CONFIGS = {
    "pyproject-list": ("pyproject.toml", '[tool.pytest.ini_options]\nfilterwarnings = [\n  "error",\n]\n'),
    "pyproject-inline": ("pyproject.toml", '[tool.pytest.ini_options]\nfilterwarnings = ["error", "ignore::X"]\n'),
    "pytest.ini": ("pytest.ini", "[pytest]\nfilterwarnings =\n    error\n    ignore::DeprecationWarning\n"),
    "setup.cfg": ("setup.cfg", "[metadata]\nname = x\n\n[tool:pytest]\nfilterwarnings = error\n"),
}
NOOPS = {
    "loop-scope-set": (
        "pyproject.toml",
        '[tool.pytest.ini_options]\nfilterwarnings = ["error"]\nasyncio_default_fixture_loop_scope = "function"\n',
    ),
    "warnings-kept": (
        "pytest.ini",
        "[pytest]\nfilterwarnings =\n    ignore::DeprecationWarning\n    error::UserWarning\n",
    ),
    "error-elsewhere": (
        "pyproject.toml",
        '[tool.pytest.ini_options]\nxfail_strict = true\n\n[tool.x]\nfilterwarnings = "error"\n',
    ),
    "no-config": ("README.md", "no config\n"),
}


def _notes(tmp_path: Path, name: str, text: str) -> list[str]:
    (tmp_path / ".git").mkdir()
    (tmp_path / name).write_text(text)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_cli.py").write_text(textwrap.dedent(TEST))
    pytest_config._stops.cache_clear()
    result = runner.run("typer-to-asyncclick", [tmp_path / "tests"], write=False)
    assert result.count(runner.CHANGED) == 1
    return result.files[0].notes


@pytest.mark.parametrize("case", sorted(CONFIGS))
def test_a_config_making_warnings_errors_gets_a_note(tmp_path, case):
    assert pytest_config.NOTE in _notes(tmp_path, *CONFIGS[case])


@pytest.mark.parametrize("case", sorted(NOOPS))
def test_noop_no_note_where_the_warning_stays_a_warning(tmp_path, case):
    assert pytest_config.NOTE not in _notes(tmp_path, *NOOPS[case])
