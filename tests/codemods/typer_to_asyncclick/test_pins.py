"""The help style follows the Typer and Click versions the program pins: Click's metavars (TEXT, INTEGER,
NAME) before Typer 0.29, ``<str>`` labels from it on (and when nothing pins Typer below it); Click's pin,
or the lock file's, for what Typer < 0.26 printed by Click version (test_help_versions.py)."""

from __future__ import annotations

import importlib
import sys
import textwrap

import pytest
from asyncclick.testing import CliRunner

from codemods import runner
from codemods.typer_to_asyncclick import helpshim, pins

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


N = pins.NEWEST


@pytest.mark.parametrize(
    ("files", "versions"),
    [
        ({"pyproject.toml": '[project]\ndependencies = ["typer==0.19.2"]\n'}, pins.Versions((0, 19, 2))),
        ({"requirements.txt": "typer==0.19.2\nclick==8.4.2\n"}, pins.Versions((0, 19, 2), (8, 4, 2), True)),
        ({"requirements.txt": "typer>=0.9,<0.20\nclick<8.5\n"}, pins.Versions((0, 19, N), (8, 4, N))),
        ({"requirements.txt": "asyncclick==8.1\nrich-click==1.8\ntyper~=0.20.1\n"}, pins.Versions((0, 20, N))),
        (
            {"pyproject.toml": '[tool.poetry.dependencies]\ntyper = "^0.12"\nclick = "^8.1"\n'},
            pins.Versions((0, 12, N), (8, N)),
        ),
        (
            {
                "pyproject.toml": '[project]\ndependencies = ["typer>=0.12"]\n',
                "uv.lock": 'name = "click"\nversion = "8.1.8"\n',
            },
            pins.Versions(None, (8, 1, 8), True),
        ),
        (
            {"Pipfile.lock": '{"default": {"click": {"hashes": ["sha256:0"], "version": "==8.2.1"}}}'},
            pins.Versions(None, (8, 2, 1), True),
        ),
    ],
)
def test_typer_and_click_versions(tmp_path, files, versions):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert pins.versions(str(tmp_path / "cli.py")) == versions


def test_the_helper_carries_the_versions():
    text = helpshim.helper(pins.Versions((0, 19, 2), (8, 4, 2), True))
    assert "\nTYPER = (0, 19, 2)\nCLICK = (8, 4, 2)\nCLICK_EXACT = True\n" in text
    assert "\nTYPER = None\nCLICK = None\nCLICK_EXACT = False\n" in helpshim.helper()


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
