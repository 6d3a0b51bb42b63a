"""A command's docstring set after its definition (``main.__doc__ = main.__doc__.format(version=...)``): Typer
reads it when it builds the command, at run time, so ``--help`` shows the new text; Click reads it when it
decorates the function. After such a statement, what took the docstring as help (the command, and a group given
this function as its callback) takes the new one too: ``main.help = main.__doc__``, ``app.help = main.__doc__``.
A command given ``help=`` keeps it, as in Typer.

The package's tests pass on the Typer original and on the converted copy.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from codemods import runner

PACKAGE = {
    "tool/__init__.py": "",
    "tool/cli.py": """\
        import typer

        VERSION = "1.2"

        sub = typer.Typer()
        app = typer.Typer()
        app.add_typer(sub, name="sub")


        @sub.command()
        def inner():
            pass


        @app.callback()
        def main(ctx: typer.Context):
            \"\"\"
            Tool {version}
            \"\"\"


        @app.command()
        def hello():
            \"\"\"Say {what}.\"\"\"


        @app.command(help="Leave.")
        def bye():
            \"\"\"Doc {x}.\"\"\"


        if main.__doc__ is not None:
            main.__doc__ = main.__doc__.format(version=VERSION)
        hello.__doc__ = hello.__doc__.format(what="hello")
        bye.__doc__ = bye.__doc__.format(x=1)
        """,
    "tests/__init__.py": "",
    "tests/test_cli.py": """\
        from typer.testing import CliRunner

        from tool.cli import app


        def test_root_help():
            result = CliRunner().invoke(app, ["--help"])
            assert "Tool 1.2" in result.output and "Say hello." in result.output, result.output
            assert "Leave." in result.output and "{" not in result.output


        def test_command_help():
            result = CliRunner().invoke(app, ["hello", "--help"])
            assert "Say hello." in result.output, result.output
        """,
}


def _pytest(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "tests"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)


def test_a_docstring_set_after_the_definition_is_the_help(tmp_path):
    for relative, text in PACKAGE.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(textwrap.dedent(text))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    before = _pytest(tmp_path)
    assert "2 passed" in before.stdout, before.stdout[-3000:]
    result = runner.run("typer-to-asyncclick", [tmp_path / "tool", tmp_path / "tests"])
    assert result.count(runner.FAILED) == 0
    cli = (tmp_path / "tool/cli.py").read_text()
    assert "    main.help = main.__doc__\n    app.help = main.__doc__\n" in cli
    assert "hello.help = hello.__doc__" in cli and "bye.help" not in cli
    after = _pytest(tmp_path)
    assert "2 passed" in after.stdout, after.stdout[-3000:]
