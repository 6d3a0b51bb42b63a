"""Tests: ``typer.testing.CliRunner`` to AsyncClick's runner; test functions that invoke it become async."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed

from codemods.typer_to_asyncclick import CODEMOD


def test_asyncclick_runner_tests_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        from asyncclick.testing import CliRunner


        async def test_hello(app):
            result = await CliRunner().invoke(app, ["hello"])
            assert result.exit_code == 0
        """,
    )


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
        import pytest
        from asyncclick.testing import CliRunner

        from app.cli import app

        runner = CliRunner()


        @pytest.mark.asyncio
        async def test_hello():
            result = await runner.invoke(app, ["hello"])
            assert result.exit_code == 0
        """,
    )


async def test_converted_test_file_passes_against_converted_app(tmp_path):
    from codemod_helpers import load, write_converted

    app_source = textwrap.dedent(
        """\
        import typer
        app = typer.Typer()

        @app.command()
        def hello(name: str = 'x'):
            typer.echo(f'hi {name}')
        """
    )
    test_source = textwrap.dedent(
        """\
        from typer.testing import CliRunner


        def test_hello(app):
            runner = CliRunner()
            result = runner.invoke(app, ["--name", "bo"])
            assert result.stdout == "hi bo\\n"
        """
    )
    write_converted(app_source, tmp_path / "app_mod.py")
    write_converted(test_source, tmp_path / "test_mod.py")
    await load(tmp_path / "test_mod.py").test_hello(load(tmp_path / "app_mod.py").app)


def test_a_tests_own_runner_import_is_asyncclicks():
    check_transformed(
        CODEMOD,
        """\
        class TestCli:
            def test_run(self):
                from typer.testing import CliRunner

                from app.cli import app

                result = CliRunner().invoke(app, ["run"])
                assert result.exit_code == 0
        """,
        """\
        import pytest


        class TestCli:
            @pytest.mark.asyncio
            async def test_run(self):
                from asyncclick.testing import CliRunner

                from app.cli import app

                result = await CliRunner().invoke(app, ["run"])
                assert result.exit_code == 0
        """,
    )
