"""What real Typer programs do that the tutorials do not, each seen in one and written here small.

- a test module's helper running the CLI through ``CliRunner.invoke`` (a module function, or the
  closure a fixture returns) becomes async, and its calls are awaited;
- ``from pkg import typer`` where the run's ``pkg`` imports typer: converted, ``pkg`` has no typer;
- ``@app.callback()`` on a group another module of the run defines, and ``@app.command()`` there: a group;
- ``app = typer.Typer()`` then ``app.command()(f)``, its one command: ``app = f``;
- ``app.command()(f)`` with ``f`` handed in (a plugin's): added if a Click command already;
- ``(await runner.invoke(...)).output``: an awaited call read at once is parenthesised;
- a fixture of another module (imported, or a ``conftest``'s) returning such a helper: its calls are awaited;
- a function patched in for ``typer.prompt`` becomes async (asyncclick awaits its prompt), in modules
  with no typer import too;
- ``from click import Choice`` is asyncclick's; Click's errors stay foreign to the program, as to Typer >= 0.26
  (``sync_click``);
- ``typer.rich_utils.MAX_WIDTH = 3000`` / ``FORCE_TERMINAL = False`` set the variables the help shim reads;
- a ``callback=`` that is not a function of the module (a method, an imported function, a lambda) is
  called as Typer calls it, by its signature, not with Click's ``(ctx, param, value)``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from codemod_helpers import assert_same, check_transformed

from codemods import runner
from codemods.typer_to_asyncclick import CODEMOD


def test_helpers_that_invoke_the_runner_become_async_and_are_awaited():
    check_transformed(
        CODEMOD,
        """\
        import pytest
        from typer.testing import CliRunner

        from tool.cli import app

        runner = CliRunner()


        def _invoke(*args):
            return runner.invoke(app, list(args))


        def _output(*args):
            return _invoke(*args).output


        @pytest.fixture()
        def invoke_cli():
            def f(*args):
                return runner.invoke(app, args)

            return f


        def test_hello():
            assert _output("hello") == "hi\\n"


        def test_fixture(invoke_cli):
            assert invoke_cli("hello").exit_code == 0
        """,
        """\
        import pytest
        from asyncclick.testing import CliRunner

        from tool.cli import app

        runner = CliRunner()


        async def _invoke(*args):
            return await runner.invoke(app, list(args))


        async def _output(*args):
            return (await _invoke(*args)).output


        @pytest.fixture()
        def invoke_cli():
            async def f(*args):
                return await runner.invoke(app, args)

            return f


        @pytest.mark.asyncio
        async def test_hello():
            assert await _output("hello") == "hi\\n"


        @pytest.mark.asyncio
        async def test_fixture(invoke_cli):
            assert (await invoke_cli("hello")).exit_code == 0
        """,
    )


PACKAGE = {
    "tool/__init__.py": """\
        import typer

        app = typer.Typer()


        @app.command()
        def bye():
            typer.echo("bye")
        """,
    "tool/cli.py": """\
        from tool import app, typer


        @app.callback(invoke_without_command=True)
        def main(ctx: typer.Context, loud: bool = typer.Option(False, "--loud", help="Shout.")):
            \"\"\"The tool.\"\"\"
            if ctx.invoked_subcommand is None:
                typer.echo("NOTHING TO DO" if loud else "nothing to do")


        @app.command()
        def hello(name: str = "you"):
            typer.echo(f"hello {name}")
        """,
}

RUN = """\
import asyncio, inspect, json, sys
from tool.cli import app
try:
    from typer.testing import CliRunner
except ImportError:
    from asyncclick.testing import CliRunner
if type(app).__module__.startswith("typer"):
    from typer.testing import CliRunner
else:
    from asyncclick.testing import CliRunner
out = []
for argv in json.loads(sys.argv[1]):
    result = CliRunner().invoke(app, argv, prog_name="tool", terminal_width=100)
    if inspect.isawaitable(result):
        result = asyncio.run(result)
    out.append([result.exit_code, result.output])
print(json.dumps(out))
"""


def _outcomes(root: Path, argvs: list[list[str]]) -> list:
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "TERM": "dumb", "NO_COLOR": "1"}
    command = [sys.executable, "-c", RUN, json.dumps(argvs)]
    proc = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_typer_imported_from_the_run_and_a_callback_on_its_group(tmp_path):
    for relative, text in PACKAGE.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(textwrap.dedent(text))
    argvs = [[], ["--loud"], ["hello", "--name", "ann"], ["bye"], ["--help"]]
    before = _outcomes(tmp_path, argvs)
    result = runner.run("typer-to-asyncclick", [tmp_path / "tool"])
    assert result.count(runner.FAILED) == 0 and result.todos == 0
    assert "from tool import app\n" in (tmp_path / "tool/cli.py").read_text()
    assert _outcomes(tmp_path, argvs) == before


CALLBACKS = """\
import typer


class Registry:
    names = ["a", "b"]

    @classmethod
    def show(cls, value: bool):
        if value:
            typer.echo(" ".join(cls.names))
            raise typer.Exit()


app = typer.Typer()


@app.command()
def main(
    names: bool = typer.Option(False, "--names", callback=Registry.show, is_eager=True),
    size: int = typer.Option(1, callback=lambda value: value * 10),
):
    typer.echo(f"size {size}")
"""


async def test_a_callback_not_of_the_module_is_called_as_typer_calls_it(tmp_path):
    await assert_same(CALLBACKS, [["--names"], ["--size", "2"], []], tmp_path)


def test_a_result_read_where_it_is_awaited_is_parenthesised():
    check_transformed(
        CODEMOD,
        """\
        from typer.testing import CliRunner

        from tool.cli import app


        def test_hello():
            assert CliRunner().invoke(app, ["hello"]).output == "hi\\n"
        """,
        """\
        import pytest
        from asyncclick.testing import CliRunner

        from tool.cli import app


        @pytest.mark.asyncio
        async def test_hello():
            assert (await CliRunner().invoke(app, ["hello"])).output == "hi\\n"
        """,
    )


LONE_REGISTERED = """\
import typer


def main(name: str = "you", loud: bool = False):
    \"\"\"Greets.\"\"\"
    typer.echo(f"hello {name}".upper() if loud else f"hello {name}")


app = typer.Typer()
app.command()(main)
"""


async def test_an_app_made_for_one_function_registered_by_call_is_that_command(tmp_path):
    await assert_same(LONE_REGISTERED, [[], ["--name", "ann", "--loud"], ["--help"], ["extra"]], tmp_path)


FIXTURES = {
    "tool/__init__.py": "",
    "tool/cli.py": """\
        import typer

        app = typer.Typer()


        @app.command()
        def hello(name: str = "you"):
            typer.echo(f"hello {name}")
        """,
    "tests/__init__.py": "",
    "tests/conftest.py": """\
        import pytest
        from typer.testing import CliRunner

        from tool.cli import app


        @pytest.fixture()
        def shared_cli():
            def invoke(*args):
                return CliRunner().invoke(app, args)

            return invoke
        """,
    "tests/helpers.py": """\
        import pytest
        from typer.testing import CliRunner

        from tool.cli import app


        @pytest.fixture()
        def imported_cli():
            runner = CliRunner()

            def invoke(*args):
                return runner.invoke(app, args)

            return invoke
        """,
    "tests/test_hello.py": """\
        from tests.helpers import imported_cli  # noqa: F401


        def test_imported(imported_cli):
            assert imported_cli("--name", "ann").output == "hello ann\\n"


        def test_from_conftest(shared_cli):
            assert shared_cli().output == "hello you\\n"
        """,
}


def test_a_fixture_of_another_module_returning_an_invoking_function_is_awaited(tmp_path):
    for relative, text in FIXTURES.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(textwrap.dedent(text))
    result = runner.run("typer-to-asyncclick", [tmp_path / "tool", tmp_path / "tests"])
    assert result.count(runner.FAILED) == 0 and result.todos == 0
    tests = (tmp_path / "tests/test_hello.py").read_text()
    assert '(await imported_cli("--name", "ann")).output' in tests
    assert "(await shared_cli()).output" in tests
    assert tests.count("@pytest.mark.asyncio\nasync def test_") == 2


def test_a_stand_in_patched_for_typer_prompt_becomes_async_also_where_typer_is_not_imported():
    check_transformed(
        CODEMOD,
        """\
        import pytest


        @pytest.fixture
        def auto_enter(monkeypatch):
            def user_hit_enter(*args, **kwargs):
                return kwargs.get("default", "")

            monkeypatch.setattr("typer.prompt", user_hit_enter)
        """,
        """\
        import pytest


        @pytest.fixture
        def auto_enter(monkeypatch):
            async def user_hit_enter(*args, **kwargs):
                return kwargs.get("default", "")

            monkeypatch.setattr("asyncclick.prompt", user_hit_enter)
        """,
    )


FROM_CLICK = """\
import typer
from click import UsageError
from click.types import Choice

app = typer.Typer()


@app.command()
def main(name: str = ""):
    if not name:
        raise UsageError("a name is needed")
    typer.echo(typer.prompt("Colour", type=Choice(["red", "blue"])) + " " + name)
"""


async def test_names_from_the_installed_click_are_asyncclicks_but_its_errors_stay_foreign(tmp_path):
    await assert_same(FROM_CLICK, [[], ["ann"]], tmp_path, input="blue\n")


def test_click_types_become_asyncclicks_and_click_errors_stay():
    check_transformed(
        CODEMOD,
        """\
        import typer
        from click import Choice, UsageError
        from click.exceptions import BadParameter
        from click.types import Path


        def ask(kind: str):
            if not kind:
                raise UsageError("no kind")
            return typer.confirm(kind), Choice, Path, BadParameter
        """,
        """\
        import asyncclick as click
        from asyncclick import Choice; from click import UsageError
        from click.exceptions import BadParameter
        from asyncclick.types import Path


        def ask(kind: str):
            if not kind:
                raise UsageError("no kind")
            return click.confirm(kind), Choice, Path, BadParameter
        """,
    )


PLUGINS = {
    "tool/__init__.py": """\
        import typer

        app = typer.Typer()
        """,
    "tool/plugins.py": """\
        from tool import app


        def add(function):
            app.command()(function)
        """,
    "tool/cli.py": """\
        import typer

        from tool import app, plugins


        @app.command()
        def hello(name: str = "you"):
            typer.echo(f"hello {name}")


        @app.command()
        def bye():
            typer.echo("bye")


        plugins.add(hello)
        """,
}


def test_a_function_handed_in_and_registered_again_is_added_if_a_command_already(tmp_path):
    for relative, text in PLUGINS.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(textwrap.dedent(text))
    argvs = [["hello", "--name", "ann"], ["bye"]]
    before = _outcomes(tmp_path, argvs)
    result = runner.run("typer-to-asyncclick", [tmp_path / "tool"])
    assert result.count(runner.FAILED) == 0 and result.todos == 1  # the function handed in must be a command
    assert _outcomes(tmp_path, argvs) == before


def test_rich_utils_settings_become_the_environment_the_help_shim_reads():
    check_transformed(
        CODEMOD,
        """\
        import pytest
        from typer import rich_utils


        @pytest.fixture(autouse=True, scope="session")
        def setup_terminal() -> None:
            rich_utils.MAX_WIDTH = 3000
            rich_utils.FORCE_TERMINAL = False
        """,
        """\
        import pytest
        import os


        @pytest.fixture(autouse=True, scope="session")
        def setup_terminal() -> None:
            os.environ["TERMINAL_WIDTH"] = "3000"
            os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
        """,
    )


SPREAD = {
    "tool/__init__.py": """\
        import typer

        app = typer.Typer()


        @app.command()
        def bye():
            typer.echo("bye")
        """,
    "tool/cli.py": """\
        import typer

        from tool import app


        @app.command()
        def hello(name: str = "you"):
            typer.echo(f"hello {name}")
        """,
}


def test_an_app_with_one_command_of_its_own_and_more_from_other_modules_is_a_group(tmp_path):
    for relative, text in SPREAD.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(textwrap.dedent(text))
    argvs = [["hello", "--name", "ann"], ["bye"], ["--help"]]
    before = _outcomes(tmp_path, argvs)
    result = runner.run("typer-to-asyncclick", [tmp_path / "tool"])
    assert result.count(runner.FAILED) == 0 and result.todos == 0
    assert _outcomes(tmp_path, argvs) == before
