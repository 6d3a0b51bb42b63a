"""What cannot be converted keeps working where it can and gets ``# TODO(asyncshift): ...`` above its statement."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_noop, check_transformed

from codemods.typer_to_asyncclick import CODEMOD

UNKNOWN_API = "import typer\n\nx = typer.some_future_api()\n"


def test_unknown_typer_api_gets_a_todo_and_keeps_the_import():
    after, _ = CODEMOD.apply(UNKNOWN_API)
    assert after == textwrap.dedent(
        """\
        # TODO(asyncshift): drop this import once the TODOs below no longer need typer
        import typer

        # TODO(asyncshift): typer.some_future_api has no AsyncClick equivalent here; port it by hand
        x = typer.some_future_api()
        """
    )
    compile(after, "<fixture>", "exec", dont_inherit=True)


def test_unknown_typer_api_is_left_alone_on_a_second_run():
    once, _ = CODEMOD.apply(UNKNOWN_API)
    check_noop(CODEMOD, once)


def test_add_typer_without_name_gets_a_todo():
    check_transformed(
        CODEMOD,
        """\
        import typer
        from . import sub

        app = typer.Typer()
        app.add_typer(sub.app)

        @app.command()
        def a():
            pass
        """,
        """\
        import asyncclick as click
        from . import sub


        app = TyperGroup()
        # TODO(asyncshift): add_typer without a name merges the sub-app's commands into this group: add them one by one
        app.add_typer(sub.app)

        @app.command()
        async def a():
            pass
        """,
    )


def test_second_run_changes_nothing():
    check_transformed(  # a second run must change nothing: checked by the helper
        CODEMOD,
        """\
        import typer

        def ask():
            return typer.prompt('Name')

        app = typer.Typer()

        @app.command()
        def go(n: int = typer.Option(1, autocompletion=lambda: [])):
            ask()
        """,
        """\
        import asyncclick as click


        def ask():
            return typer_prompt('Name')

        @click.command(cls=TyperCommand)
        @click.option("--n", default=1, shell_complete=TyperCompletion(lambda: []))
        async def go(n: int):
            ask()


        app = go
        """,
    )
