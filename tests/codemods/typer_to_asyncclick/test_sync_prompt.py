"""``typer.prompt`` in code the conversion leaves sync: a method, a loop of a helper class, a parameter's callback
through a sync decorator. asyncclick's prompt is a coroutine; awaiting it there would need every caller made
async (across modules, through decorators). Such a call becomes the helper's ``typer_prompt``, which runs
asyncclick's prompt to its end, reading the answer as Typer did (blocking), no TODO; a test's stand-in for
``typer.prompt`` (``patch("typer.prompt", ...)``, now asyncclick's) is what it calls. In a command and in a test
the prompt is still awaited.

The package's tests pass on the Typer original and on the converted copy.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from codemod_helpers import check_transformed

from codemods import runner
from codemods.typer_to_asyncclick import CODEMOD

PACKAGE = {
    "tool/__init__.py": "",
    "tool/roles.py": """\
        import typer


        def option_callback(func):
            def wrapper(cls, value):
                if not value:
                    return
                func(cls, value)
                raise typer.Exit()

            return wrapper


        class Role:
            @classmethod
            @option_callback
            def create(cls, name):
                text = typer.prompt("Describe the role")
                typer.echo(f"created {name}: {text}")


        class Repl:
            def lines(self):
                collected = ""
                while (line := typer.prompt("...", prompt_suffix="")) != "end":
                    collected += line + ";"
                return collected

            def run(self):
                while True:
                    said = typer.prompt(">>>", prompt_suffix=" ")
                    if said == "many":
                        said = self.lines()
                    if said == "exit()":
                        raise typer.Exit()
                    typer.echo(f"got {said}")
        """,
    "tool/cli.py": """\
        import typer

        from .roles import Repl, Role

        app = typer.Typer()


        @app.command()
        def main(
            create_role: str = typer.Option(None, callback=Role.create),
            repl: bool = typer.Option(False),
        ):
            if repl:
                Repl().run()
            name = typer.prompt("Name")
            typer.echo(f"hello {name}")
        """,
    "tests/__init__.py": "",
    "tests/test_cli.py": """\
        from unittest.mock import patch

        from typer.testing import CliRunner

        from tool.cli import app
        from tool.roles import Repl


        def test_callback_prompts():
            result = CliRunner().invoke(app, ["--create-role", "judge"], input="strict\\n")
            assert result.exit_code == 0, result.output
            assert "created judge: strict" in result.output


        def test_repl_loop():
            result = CliRunner().invoke(app, ["--repl"], input="a\\nmany\\nb\\nc\\nend\\nexit()\\n")
            assert result.exit_code == 0, result.output
            assert "got a" in result.output and "got b;c;" in result.output


        def test_command_prompt():
            result = CliRunner().invoke(app, [], input="ann\\n")
            assert "hello ann" in result.output


        def test_stand_in():
            with patch("typer.prompt", return_value="exit()"):
                try:
                    Repl().run()
                except BaseException as error:
                    assert type(error).__name__ == "Exit"
        """,
}


def _pytest(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "tests"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)


def test_prompts_of_sync_code_read_their_answers_after_conversion(tmp_path):
    for relative, text in PACKAGE.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(textwrap.dedent(text))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    before = _pytest(tmp_path)
    assert "4 passed" in before.stdout, before.stdout[-3000:]
    result = runner.run("typer-to-asyncclick", [tmp_path / "tool", tmp_path / "tests"])
    assert result.count(runner.FAILED) == 0 and result.todos == 0
    roles = (tmp_path / "tool/roles.py").read_text()
    assert roles.count("typer_prompt(") == 3 and "await" not in roles
    assert 'name = await click.prompt("Name")' in (tmp_path / "tool/cli.py").read_text()
    after = _pytest(tmp_path)
    assert "4 passed" in after.stdout, after.stdout[-3000:]


def test_prompt_in_a_sync_function_is_the_helpers_and_one_in_a_command_awaited():
    check_transformed(
        CODEMOD,
        """\
        import typer

        def ask():
            return typer.prompt('Name')

        def main():
            return typer.prompt('Name', default='anon')

        typer.run(main)
        """,
        """\
        import asyncclick as click


        def ask():
            return typer_prompt('Name')

        @click.command(cls=TyperCommand, add_completion=False)
        async def main():
            return await click.prompt('Name', default='anon')

        main()
        """,
    )
