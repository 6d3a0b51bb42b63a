"""Typer's default markup below 0.20.1: ``typer.Typer()`` handed its default ``rich_markup_mode`` on as a
placeholder, not "rich", from 0.12.5 to 0.20.0 (fixed by Typer's #1304 in 0.20.1). Its help is rich (panels,
boxes) but no markup is read: ``[os, time]`` and ``[bold]more[/bold]`` print as written, a help's line breaks are
joined and, from 0.15.3, a blank line follows the first paragraph. The helper read the markup there (an option's
``skip_imports: [os, time, pycln]`` printed ``skip_imports: ``). Recorded in
``help_versions/markup_typer_0_20_0.json`` from Typer 0.20.0 on Click 8.1.8 for ``help_versions/markup_prog.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from codemods.typer_to_asyncclick import CODEMOD, helpshim, pins

HERE = Path(__file__).with_name("help_versions")

WALKER = r"""
import asyncio, json, os, sys
sys.path.insert(0, os.getcwd())
from asyncclick.testing import CliRunner
app = __import__("markup_prog").app
async def main():
    r = await CliRunner().invoke(app, ["--help"], prog_name="prog", terminal_width=100)
    print(json.dumps(r.output))
asyncio.run(main())
"""


def _help(folder: Path, versions: pins.Versions) -> str:
    converted, notes = CODEMOD.apply((HERE / "markup_prog.py").read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "markup_prog.py").write_text(converted, encoding="utf-8")
    for name, text in notes.files.items():
        (folder / name).write_text(helpshim.helper(versions) if name == helpshim.HELPER else text, encoding="utf-8")
    env = {
        k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TYPER_USE_RICH")
    }
    env |= {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", WALKER], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_typer_0_20_0_reads_no_markup_by_default(tmp_path):
    recorded = json.loads((HERE / "markup_typer_0_20_0.json").read_text(encoding="utf-8"))
    got = _help(tmp_path, pins.Versions((0, 20, 0), (8, 1, 8), True))
    assert got == recorded["help"], f"{got}\n---\n{recorded['help']}"


def test_typer_0_15_reads_no_markup_and_keeps_no_gap_below_0_15_3(tmp_path):
    got = _help(tmp_path, pins.Versions((0, 15, 2), (8, 1, 8), True))
    assert "[os, time]" in got and "[bold]more[/bold]" in got
    assert " Remove what is [red]unused[/red].  " in got and "\n Reads the config file first." in got
    lines = got.splitlines()
    first = next(i for i, line in enumerate(lines) if "Remove what is" in line)
    assert "Reads the config file first." in lines[first + 1]


def test_noop_typer_0_20_1_on_reads_markup(tmp_path):
    for versions in (pins.Versions((0, 20, 1), (8, 1, 8), True), pins.Versions()):
        got = _help(tmp_path / "x".join(map(str, versions.typer or ("new",))), versions)
        assert "[bold]" not in got and "Say more." in got and "Remove what is unused." in got
