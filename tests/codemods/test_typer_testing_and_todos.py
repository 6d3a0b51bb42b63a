"""typer.testing.CliRunner to AsyncClick's async runner; TODOs for what cannot be converted; idempotence."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_transformed

from codemods.base import TODO_MARKER
from codemods.typer_to_asyncclick import CODEMOD


def test_cli_runner_tests_become_async_and_await_invoke():
    check_transformed(
        CODEMOD,
        """\
        from typer.testing import CliRunner

        from app.cli import app

        runner = CliRunner()


        def test_hello():
            result = runner.invoke(app, ["hello"])
            assert result.exit_code == 0
        """,
        """\
        from asyncclick.testing import CliRunner

        from app.cli import app

        runner = CliRunner()


        async def test_hello():
            result = await runner.invoke(app, ["hello"])
            assert result.exit_code == 0
        """,
    )


async def test_converted_test_file_passes_against_converted_app(tmp_path):
    from codemod_helpers import load

    app_source = "import typer\napp = typer.Typer()\n\n@app.command()\ndef hello(name: str = 'x'):\n    typer.echo(f'hi {name}')\n"
    test_source = textwrap.dedent(
        """\
        from typer.testing import CliRunner


        def test_hello(app):
            runner = CliRunner()
            result = runner.invoke(app, ["--name", "bo"])
            assert result.stdout == "hi bo\\n"
        """
    )
    (tmp_path / "app_mod.py").write_text(CODEMOD.apply(app_source)[0])
    (tmp_path / "test_mod.py").write_text(CODEMOD.apply(test_source)[0])
    await load(tmp_path / "test_mod.py").test_hello(load(tmp_path / "app_mod.py").app)


def test_prompt_in_a_sync_helper_gets_a_todo_and_stays_valid():
    after, _ = CODEMOD.apply(
        "import typer\n\ndef ask():\n    return typer.prompt('Name')\n"
    )
    assert f"{TODO_MARKER} click.prompt (async in AsyncClick) must be awaited: make 'ask' async and await it" in after
    compile(after, "<t>", "exec")


def test_unknown_typer_api_gets_a_todo_and_keeps_the_import():
    after, _ = CODEMOD.apply("import typer\n\nx = typer.some_future_api()\n")
    assert after.count(TODO_MARKER) == 2
    assert "import typer" in after


def test_add_typer_without_name_gets_a_todo():
    after, _ = CODEMOD.apply(
        "import typer\nfrom . import sub\n\napp = typer.Typer()\napp.add_typer(sub.app)\n\n@app.command()\ndef a():\n    pass\n"
    )
    assert "add_typer without a name" in after


def test_second_run_changes_nothing():
    source = (
        "import typer\n\ndef ask():\n    return typer.prompt('Name')\n\n"
        "app = typer.Typer()\n\n@app.command()\ndef go(n: int = typer.Option(1, autocompletion=lambda: [])):\n    ask()\n"
    )
    once, _ = CODEMOD.apply(source)
    twice, _ = CODEMOD.apply(once)
    assert once == twice
