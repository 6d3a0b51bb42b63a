"""``asyncshift`` imports a verb's module only when that verb runs: a codemod run does not pay for
the flags file's YAML library, the project discovery or the wiring code (start-up is most of a
small run), and ``--help`` still lists every verb with its line of help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from compat.control.commands import VERBS

# Runs the console script's entry point with argv, then prints the modules loaded (at exit: main() exits).
PROBE = """\
import atexit, sys
atexit.register(lambda: print("MODULES", *sorted(sys.modules)))
sys.argv = ["asyncshift", *sys.argv[1:]]
from compat.control.commands import main
main()
"""

TYPER_CLI = "import typer\n\napp = typer.Typer()\n\n\n@app.command()\ndef hello(name: str):\n    typer.echo(name)\n"


def loaded(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    line = next(line for line in done.stdout.splitlines() if line.startswith("MODULES "))
    return done, set(line.split()[1:])


def test_a_codemod_run_imports_no_other_verb(tmp_path):
    (tmp_path / "cli.py").write_text(TYPER_CLI)
    done, modules = loaded("codemod", "run", "typer-to-asyncclick", "cli.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "import asyncclick as click" in (tmp_path / "cli.py").read_text()
    others = {f"compat.control.commands.{module}" for module in set(VERBS.values()) - {"codemod"}}
    assert not modules & others
    assert not {"ruamel", "compat.flags", "compat.control.discovery", "compat.control.wiring"} & modules
    assert "concurrent.futures.process" not in modules  # one job: no process pool


def test_help_still_lists_every_verb_with_its_line(tmp_path):
    done, modules = loaded("--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    commands = done.stdout.split("Commands:\n")[1].split("\n\n")[0].splitlines()  # up to the epilog
    listed = {line.split()[0]: line for line in commands if line.startswith("  ") and line[2] != " "}
    assert set(listed) == set(VERBS)
    assert all(len(line.split()) > 2 for line in listed.values())  # a name and its one-line help
    assert "compat.control.commands.codemod" in modules


def test_an_unknown_verb_is_a_usage_error(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "codemods"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "No such command 'codemods'" in done.stderr
