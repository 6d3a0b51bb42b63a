"""Sub-apps of other modules, parameter factories and the fixtures around a converted CLI.

- ``app.add_typer(sub, name="sub", help=...)`` with ``sub`` of another module: ``app.add_command(sub, "sub",
  help=...)``, the shim's group setting what add_typer sets (help, short_help, epilog, hidden, deprecated,
  no_args_is_help, rich_help_panel), as Typer's add_typer wins over the sub-app's own;
- a function-scoped fixture that runs the CLI (``return invoke("sub", "hello")``) becomes pytest-asyncio's
  ``async def`` fixture, its call awaited; sync tests still get its value;
- ``flag: Annotated[bool, flag_option("yes")]``, ``flag_option`` building ``typer.Option(...)`` at run time, is
  not a plain ``--flag/--no-flag``: the function returns the helper's ``TyperParam``, called at the command with
  the parameter's name, type and default (``@flag_option("yes")("flag", flag=True, default=False)``); as a
  default (``flag: bool = flag_option(...)``), a TODO.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from codemod_helpers import assert_same

from codemods import runner
from codemods.typer_to_asyncclick import CODEMOD

PACKAGE = {
    "tool/__init__.py": "",
    "tool/sub.py": """\
        import typer

        sub = typer.Typer(help="Its own help.")


        @sub.command()
        def hello(name: str):
            typer.echo(f"hello {name}")


        @sub.command()
        def bye():
            typer.echo("bye")
        """,
    "tool/cli.py": """\
        import typer

        from .sub import sub

        app = typer.Typer()
        app.add_typer(sub, name="sub", help="The help add_typer gives it.")


        @app.command()
        def other():
            typer.echo("other")
        """,
    "tests/__init__.py": "",
    "tests/test_cli.py": """\
        import pytest
        from typer.testing import CliRunner

        from tool.cli import app

        runner = CliRunner()


        @pytest.fixture()
        def hello_result():
            return runner.invoke(app, ["sub", "hello", "ann"])


        @pytest.fixture
        def bye_result():
            result = runner.invoke(app, ["sub", "bye"])
            yield result


        def test_hello(hello_result, bye_result):
            assert hello_result.output == "hello ann\\n" and bye_result.output == "bye\\n"


        def test_help():
            assert "The help add_typer gives it." in runner.invoke(app, ["--help"]).output
            assert "The help add_typer gives it." in runner.invoke(app, ["sub", "--help"]).output
        """,
}


def _pytest(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root), "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "100"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "tests"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)


def test_add_typer_help_of_another_modules_sub_app_and_fixtures_that_run_the_cli(tmp_path):
    for relative, text in PACKAGE.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(textwrap.dedent(text))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    before = _pytest(tmp_path)
    assert "2 passed" in before.stdout, before.stdout[-3000:]
    result = runner.run("typer-to-asyncclick", [tmp_path / "tool", tmp_path / "tests"])
    assert result.count(runner.FAILED) == 0 and result.todos == 0
    assert 'app.add_command(sub, "sub", help="The help add_typer gives it.")' in (tmp_path / "tool/cli.py").read_text()
    tests = (tmp_path / "tests/test_cli.py").read_text()
    assert "@pytest_asyncio.fixture()\nasync def hello_result():\n    return await runner.invoke(" in tests
    assert "@pytest_asyncio.fixture\nasync def bye_result():" in tests and "import pytest_asyncio\n" in tests
    after = _pytest(tmp_path)
    assert "2 passed" in after.stdout, after.stdout[-3000:]


FACTORY = """\
from typing import Annotated

import typer

app = typer.Typer()


def flag_option(flag: str, envvar: str, help_text: str):
    long_name = f"--{flag}"
    return typer.Option(long_name, f"-{flag[0]}", is_flag=True, envvar=envvar, help=help_text)


@app.command()
def main(
    yes_to_all: Annotated[bool, flag_option("yes", "TOOL_YES", "Say yes.")] = False,
    json: Annotated[bool, flag_option("json", "TOOL_JSON", "Print JSON.")] = False,
):
    print(yes_to_all, json)
"""


async def test_a_parameter_built_by_a_function_at_run_time_is_that_option(tmp_path):
    after, _ = CODEMOD.apply(FACTORY)
    assert '@flag_option("yes", "TOOL_YES", "Say yes.")("yes_to_all", flag=True, default=False)' in after
    assert 'return TyperParam("Option", long_name,' in after and "import typer" not in after
    await assert_same(FACTORY, [[], ["-y"], ["--yes", "-j"], ["--help"]], tmp_path)


def test_a_parameter_whose_default_a_function_builds_gets_a_todo():
    source = FACTORY.replace(
        'yes_to_all: Annotated[bool, flag_option("yes", "TOOL_YES", "Say yes.")] = False',
        'yes_to_all: bool = flag_option("yes", "TOOL_YES", "Say yes.")',
    )
    after, _ = CODEMOD.apply(source)
    assert "# TODO(asyncshift): 'yes_to_all' is the flag_option(...) a function here builds" in after
