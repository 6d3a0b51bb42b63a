"""The help style follows the Typer version the program pins: Click's metavars (TEXT, INTEGER, NAME)
before Typer 0.29, ``<str>`` labels from it on (and when nothing pins Typer below it)."""

from __future__ import annotations

import importlib
import sys
import textwrap

import pytest
from asyncclick.testing import CliRunner

from codemods import runner
from codemods.typer_to_asyncclick import pins

CLI = """\
import typer

app = typer.Typer()


@app.command()
def greet(name: str, count: int = 1, loud: bool = False):
    print(name * count)


@app.command()
def other():
    pass
"""


@pytest.mark.parametrize(
    ("file", "text", "labels"),
    [
        ("pyproject.toml", '[project]\ndependencies = ["typer==0.19.2", "rich"]\n', False),
        ("pyproject.toml", '[project]\ndependencies = ["typer[all]~=0.12.3"]\n', False),
        ("requirements.txt", "typer<0.29\n", False),
        ("requirements-dev.txt", "typer==0.29.2\n", True),
        ("pyproject.toml", '[project]\ndependencies = ["typer>=0.12"]\n', True),
        ("pyproject.toml", '[project]\ndependencies = ["typer-slim==0.1"]\n', True),
        ("setup.cfg", "[options]\ninstall_requires =\n    typer <= 0.20\n", False),
    ],
)
def test_pins(tmp_path, file, text, labels):
    (tmp_path / file).write_text(text)
    (tmp_path / "pkg").mkdir()
    assert pins.labels(str(tmp_path / "pkg" / "cli.py")) is labels


def test_nothing_pinned_means_labels(tmp_path):
    (tmp_path / ".git").mkdir()
    assert pins.labels(str(tmp_path / "cli.py")) is True


@pytest.mark.parametrize(
    ("pin", "shown", "absent"), [("typer==0.19.2", "INTEGER", "<int>"), ("typer>=0.12", "<int>", "INTEGER")]
)
async def test_converted_help_in_the_pinned_style(tmp_path, monkeypatch, pin, shown, absent):
    monkeypatch.setenv("TYPER_USE_RICH", "0")
    root = tmp_path / f"p{abs(hash(pin))}"
    (root / "pkg_pins").mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[project]\ndependencies = ["{pin}"]\n')
    (root / "pkg_pins" / "cli.py").write_text(textwrap.dedent(CLI))
    result = runner.run("typer-to-asyncclick", [root / "pkg_pins"])
    assert result.count(runner.FAILED) == 0
    sys.path.insert(0, str(root / "pkg_pins"))
    try:
        sys.modules.pop("cli", None), sys.modules.pop("_asyncclick_help", None)
        app = importlib.import_module("cli").app
        help_text = (await CliRunner().invoke(app, ["greet", "--help"], prog_name="prog")).output
    finally:
        sys.path.remove(str(root / "pkg_pins"))
        sys.modules.pop("cli", None), sys.modules.pop("_asyncclick_help", None)
    assert shown in help_text and absent not in help_text, help_text
