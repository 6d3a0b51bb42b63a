"""Rich help in the style of a Typer older than the recorded pairs (``help_versions/old_typer.json``: what
Typer 0.9.4 on Click 8.1.8 printed for ``help_versions/old_prog.py``, recorded with those versions put ahead
on PYTHONPATH, as ``record.py`` does):

- commands listed by name, as Click lists them (Typer 0.13 keeps the order they were added);
- the commands panel's columns as wide as rich makes them (Typer 0.12.2 sizes the first to the longest name);
- ``[default: None]`` on a parameter with no default, a required argument too (not from Typer 0.17.2);
- a case-insensitive choice's values as written, on Click < 8.2 (lowercased from Click 8.2 on);
- no markup by default (Typer 0.12.5 made "rich" the default), a help's line breaks joined, its later
  paragraphs under the first with no blank line;
- Click's words for a value that is no integer (Typer 0.27 says "int", 0.29 pydantic's words);
- completion options that take a shell where none is detected (``old_completion.py``, recorded with Typer's
  ``_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION``; below Typer 0.22, also without shellingham installed).
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
app = __import__("old_prog").app
async def main():
    out = {}
    for path in ([], ["startproject"], ["startapp"], ["run"]):
        r = await CliRunner().invoke(app, [*path, "--help"], prog_name="prog", terminal_width=100)
        out[" ".join(path)] = r.output
    r = await CliRunner().invoke(app, ["run", "--count", "x"], prog_name="prog", terminal_width=100)
    out["run --count x"] = r.output
    print(json.dumps(out))
asyncio.run(main())
"""


def _helps(folder: Path, versions: pins.Versions) -> dict:
    converted, notes = CODEMOD.apply((HERE / "old_prog.py").read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "old_prog.py").write_text(converted, encoding="utf-8")
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


def test_rich_help_of_typer_0_9_on_click_8_1(tmp_path):
    recorded = json.loads((HERE / "old_typer.json").read_text(encoding="utf-8"))
    got = _helps(tmp_path, pins.Versions((0, 9, 4), (8, 1, 8), True))
    for path, text in recorded["helps"].items():
        assert got[path] == text, f"{path or '<root>'}:\n{got[path]}\n---\n{text}"


def test_the_newest_typer_keeps_its_own_style(tmp_path):
    got = _helps(tmp_path, pins.Versions())
    assert got[""].index("startproject") < got[""].index("startapp") < got[""].index("run")  # as added
    assert "[default: None]" not in got["startproject"] and "<postgres|mysql>" in got["startproject"]


COMPLETION_WALKER = r"""
import asyncio, json, os, sys
sys.path.insert(0, os.getcwd())
from asyncclick.testing import CliRunner
app = __import__("old_completion").app
async def main():
    r = await CliRunner().invoke(app, ["--help"], prog_name="prog", terminal_width=100)
    print(json.dumps(r.output))
asyncio.run(main())
"""


def test_completion_options_that_take_a_shell(tmp_path):
    recorded = json.loads((HERE / "old_typer.json").read_text(encoding="utf-8"))["completion_root"]
    converted, notes = CODEMOD.apply((HERE / "old_completion.py").read_text(encoding="utf-8"))
    (tmp_path / "old_completion.py").write_text(converted, encoding="utf-8")
    versions = pins.Versions((0, 9, 4), (8, 1, 8), True)
    for name, text in notes.files.items():
        (tmp_path / name).write_text(helpshim.helper(versions) if name == helpshim.HELPER else text, encoding="utf-8")
    hidden = ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TYPER_USE_RICH")  # codemod_helpers sets the last
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env |= {"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1", "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    done = subprocess.run(
        [sys.executable, "-c", COMPLETION_WALKER], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout) == recorded
