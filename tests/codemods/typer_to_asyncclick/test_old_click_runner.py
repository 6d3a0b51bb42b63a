"""Typer's CliRunner as a program below Typer 0.26 knew it, on Click < 8.2: ``result.stdout`` held stderr too
(``mix_stderr`` was True by default), and ``CliRunner(mix_stderr=False)`` kept ``result.output`` to stdout.
asyncclick's Result separates them and its CliRunner takes no ``mix_stderr``: such a program's tests get
``TyperCliRunner`` from the helper, which reads the Click the program ran on (pins.py, as its help does).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from codemods import runner

PROGRAM = {
    "pyproject.toml": """\
        [project]
        name = "tool"
        dependencies = ["typer>=0.4,<0.10", "click==8.1.8"]
        """,
    "tool/__init__.py": "",
    "tool/cli.py": """\
        import typer

        app = typer.Typer()


        @app.command()
        def hello(name: str):
            typer.echo(f"hello {name}")
            typer.echo("said hello", err=True)


        @app.command()
        def bye():
            typer.echo("bye")
        """,
    "tests/__init__.py": "",
    "tests/test_cli.py": """\
        from typer.testing import CliRunner

        from tool.cli import app


        def test_mixed():
            result = CliRunner().invoke(app, ["hello", "ann"])
            assert result.stdout == "hello ann\\nsaid hello\\n"


        def test_separate():
            result = CliRunner(mix_stderr=False).invoke(app, ["hello", "ann"])
            assert result.output == "hello ann\\n" and result.stderr == "said hello\\n"
        """,
}


def test_a_program_on_click_below_8_2_reads_stderr_in_result_stdout(tmp_path: Path):
    for relative, text in PROGRAM.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(textwrap.dedent(text))
    result = runner.run("typer-to-asyncclick", [tmp_path / "tool", tmp_path / "tests"])
    assert result.count(runner.FAILED) == 0 and result.todos == 0
    tests = (tmp_path / "tests/test_cli.py").read_text()
    assert "TyperCliRunner().invoke(" in tests and "TyperCliRunner(mix_stderr=False)" in tests
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "tests"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert "2 passed" in done.stdout, done.stdout[-3000:]
