"""A converted package gains one module, the helper it imports: what lists the package's files finds only
modules the package has.

Typer's rich help was a second module written beside the converted CLI (``_asyncclick_rich.py``) and loaded by
path, never as a module of the package: a project test comparing the names a star import of the package
gives (its ``__init__``'s names and the files beside it) with ``dir(pkg)`` after the CLI ran found one name
too many (pycln's ``test_scan.py``). The rich help is the helper's ``_rich_module`` now.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from codemod_helpers import write_tree

from codemods.runner import run

CLI = """\
import typer

app = typer.Typer()


@app.command()
def main(name: str, count: int = typer.Option(1, help="How many times.", rich_help_panel="Output")):
    \"\"\"Greet NAME.\"\"\"
    for _ in range(count):
        typer.echo(f"Hello {name}")
"""

LIST = """\
import asyncio, json, pathlib
import tool.cli
from asyncclick.testing import CliRunner

result = asyncio.run(CliRunner().invoke(tool.cli.app, ["--help"], terminal_width=80))
files = sorted(p.stem for p in pathlib.Path(tool.__file__).parent.glob("*.py") if p.stem != "__init__")
print(json.dumps([result.exit_code, "Output" in result.output and "\\u256d" in result.output, files, dir(tool)]))
"""


def test_the_package_gains_one_module_which_it_imports(tmp_path):
    write_tree(tmp_path, {"src/tool/__init__.py": "", "src/tool/cli.py": CLI})
    result = run("typer-to-asyncclick", [tmp_path / "src"], write=True)
    assert result.count("failed") == 0
    env = {k: v for k, v in os.environ.items() if k not in ("TYPER_USE_RICH", "NO_COLOR")}
    env["PYTHONPATH"] = str(tmp_path / "src")
    done = subprocess.run([sys.executable, "-c", LIST], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    code, panels, files, names = json.loads(done.stdout)
    assert (code, panels) == (0, True)  # the help was rich (its "Output" panel), as Typer's
    assert files == ["_asyncclick_help", "cli"]  # one module more than the original's, not two
    assert set(files) <= set(names)  # every module beside __init__ is one the package has (was: _asyncclick_rich)
