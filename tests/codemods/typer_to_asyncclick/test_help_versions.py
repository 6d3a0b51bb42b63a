"""Help in the style of the Typer AND Click versions a program ran with (pins.py, the helper's TYPER/CLICK).

``help_versions/prog.py`` is converted once; its helper is written for each (Typer, Click) pair that
``help_versions/recorded.json`` holds (recorded from the real versions by ``help_versions/record.py``), and
every command's ``--help``, plain and with rich, must be the text that pair's Typer printed. What differs
between pairs: argument help (none from Typer < 0.26 on Click 8.5), Click's metavars against Typer 0.29's
``<str>`` labels, ``[FILE]`` for an optional argument's metavar from Typer 0.20.1, "(Deprecated)" before
the help on Click < 8.2, the argument column and ranges of rich help before Typer 0.29.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from codemods.typer_to_asyncclick import CODEMOD, helpshim, pins

sys.path.insert(0, str(Path(__file__).with_name("help_versions")))
from record import load  # noqa: E402  (help_versions/ is not a package)

HERE = Path(__file__).with_name("help_versions")
RECORDED = load()

WALKER = r"""
import asyncio, json, os, sys
sys.path.insert(0, os.getcwd())
from asyncclick.testing import CliRunner
app = __import__("prog").app
def walk(command, path):
    yield path
    for name in sorted(getattr(command, "commands", {}) or {}):
        yield from walk(command.commands[name], [*path, name])
async def main():
    out = {}
    for mode in ("plain", "rich"):
        os.environ["TYPER_USE_RICH"] = "1" if mode == "rich" else "0"
        out[mode] = {}
        for path in walk(app, []):
            r = await CliRunner().invoke(app, [*path, "--help"], prog_name="prog", terminal_width=100)
            out[mode][" ".join(path)] = [r.exit_code, r.output]
    print(json.dumps(out))
asyncio.run(main())
"""


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def converted_helps(folder: Path, versions: pins.Versions) -> dict:
    converted, notes = CODEMOD.apply((HERE / "prog.py").read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "prog.py").write_text(converted, encoding="utf-8")
    for name, text in notes.files.items():
        (folder / name).write_text(helpshim.helper(versions) if name == helpshim.HELPER else text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS")}
    env |= {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", WALKER], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def _differences(expected: dict, got: dict) -> str:
    return "".join(
        f"=== {path or '<root>'}\n"
        + "\n".join(difflib.unified_diff(code_text[1].splitlines(), got[path][1].splitlines(), lineterm="", n=0))
        + "\n"
        for path, code_text in expected.items()
        if got.get(path) != code_text
    )


@pytest.mark.parametrize("pair", sorted(RECORDED))
def test_help_of_each_typer_and_click_pair(tmp_path, pair):
    typer_version, click_version = pair.split("+")
    versions = pins.Versions(_version(typer_version), _version(click_version), True)
    got = converted_helps(tmp_path / "prog", versions)
    for mode in ("plain", "rich"):
        assert got[mode] == RECORDED[pair][mode], f"{pair} {mode}:\n" + _differences(RECORDED[pair][mode], got[mode])


def test_the_click_installed_beside_the_program_decides_when_not_pinned(tmp_path):
    """Typer 0.19.2 with Click unpinned: the Click this venv has (8.5 or later) printed no argument help;
    a pin below 8.5 that the installed Click does not meet is believed instead."""
    from importlib.metadata import version

    assert _version(version("click"))[:2] >= (8, 5), "this test reads the venv's Click 8.5+"
    unpinned = converted_helps(tmp_path / "unpinned", pins.Versions((0, 19, 2)))
    assert unpinned["plain"] == RECORDED["0.19.2+8.5.1"]["plain"]
    below = converted_helps(tmp_path / "below", pins.Versions((0, 19, 2), (8, 4, pins.NEWEST)))
    assert below["plain"] == RECORDED["0.19.2+8.4.2"]["plain"]
