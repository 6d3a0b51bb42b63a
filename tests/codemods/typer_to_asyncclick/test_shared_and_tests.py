"""A program laid out as real ones are: ``src/`` (itself a package) holding the CLI, shared options in one
module used by commands in others, its own ``TyperGroup`` subclass as ``cls=``, and tests that patch
``typer.prompt``, call commands directly and build apps inside tests. Converted in one run, then run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codemods import runner
from codemods.typer_to_asyncclick import helpshim

pytest.importorskip("pytest_asyncio")

PROGRAM = {
    "src/__init__.py": "",
    "src/cli/__init__.py": "",
    "src/cli/common/__init__.py": "",
    "src/cli/common/options.py": """\
        from typing import Optional
        import typer

        user_option = typer.Option(None, "--user", help="User to act for.", show_default=False)
        """,
    "src/cli/common/group.py": """\
        import click
        from typer.core import TyperGroup


        class HelpfulGroup(TyperGroup):
            def invoke(self, ctx):
                click.echo("via the subclass")
                return super().invoke(ctx)
        """,
    "src/cli/users.py": """\
        from typing import Optional
        import typer

        from cli.common.group import HelpfulGroup
        from cli.common.options import user_option

        app = typer.Typer(help="Users.", cls=HelpfulGroup)


        @app.command("show")
        def show(user_input: Optional[str] = user_option):
            typer.echo(f"user={user_input}")


        @app.command("add")
        def add():
            name = typer.prompt("Name")
            typer.echo(f"added {name}")


        @app.callback()
        def main(ctx: typer.Context):
            if ctx.invoked_subcommand is None:
                typer.echo("no command")
        """,
    "tests/test_users.py": """\
        from unittest.mock import Mock, patch

        import typer
        from typer.testing import CliRunner

        from cli.users import app, main, show


        class TestUsers:
            def setup_method(self):
                self.runner = CliRunner()

            def test_shared_option_keeps_its_name(self):
                result = self.runner.invoke(app, ["show", "--help"])
                assert "--user" in result.output, result.output

            @patch("typer.prompt")
            def test_patched_prompt(self, prompt):
                prompt.return_value = "bob"
                result = self.runner.invoke(app, ["add"])
                assert result.output.endswith("added bob\\n"), result.output

            def test_the_group_is_the_subclass(self):
                result = self.runner.invoke(app, ["show", "--user", "ann"])
                assert result.output == "via the subclass\\nuser=ann\\n", result.output


        @patch("typer.echo")
        def test_callback_called_directly(echo):
            ctx = Mock(invoked_subcommand=None)
            main(ctx)
            echo.assert_called_once_with("no command")


        def test_command_called_directly(capsys):
            show("carl")
            assert capsys.readouterr().out == "user=carl\\n"


        def test_app_built_in_a_test():
            local = typer.Typer()

            @local.command()
            def hello(name: str = "x"):
                typer.echo(f"hello {name}")

            result = CliRunner().invoke(local, ["--name", "y"])
            assert result.output == "hello y\\n", result.output
        """,
}


def _write(root: Path) -> None:
    for relative, text in PROGRAM.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _pytest(root: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)


def test_the_program_and_its_tests_convert_and_pass(tmp_path):
    _write(tmp_path)
    assert "6 passed" in _pytest(tmp_path).stdout  # the Typer original
    result = runner.run("typer-to-asyncclick", [tmp_path / "src" / "cli", tmp_path / "tests"])
    assert result.count(runner.FAILED) == 0 and result.todos == 0
    assert "asyncclick>=8.3.0.1" in result.requirements and "pytest-asyncio>=0.17" in result.requirements
    options = (tmp_path / "src/cli/common/options.py").read_text()
    assert 'user_option = click.option("--user", help="User to act for.", show_default=False)' in options
    users = helpshim.strip((tmp_path / "src/cli/users.py").read_text())
    assert '@click.option("--user", "user_input", help="User to act for.", show_default=False)' in users
    assert "app = HelpfulGroup(" in users
    outcome = _pytest(tmp_path)
    assert "6 passed" in outcome.stdout, outcome.stdout[-3000:]


def test_context_exit_becomes_a_raise():
    from codemod_helpers import check_transformed

    from codemods.typer_to_asyncclick import CODEMOD

    check_transformed(
        CODEMOD,
        """\
        import typer


        def stop(ctx: typer.Context):
            typer.echo(ctx.get_help())
            ctx.exit(2)
        """,
        """\
        import asyncclick as click


        def stop(ctx: click.Context):
            click.echo(ctx.get_help())
            raise click.exceptions.Exit(2)
        """,
    )
