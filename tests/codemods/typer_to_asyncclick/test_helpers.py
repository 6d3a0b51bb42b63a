"""Helpers: ``typer.echo``/``prompt``/``confirm``/``style``/``progressbar``/``Exit``/``Abort`` to Click's own.

AsyncClick's ``prompt`` is a coroutine: awaited in commands, the helper's blocking ``typer_prompt`` in plain functions
(``confirm`` is not; see test_sync_prompt.py).
"""

from __future__ import annotations

from codemod_helpers import assert_same, check_noop, check_transformed

from codemods.typer_to_asyncclick import CODEMOD


def test_clicks_own_helpers_and_look_alikes_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        import asyncclick as click

        from myproject import typer_like as typer


        async def ask():
            name = await click.prompt("Name")
            typer.echo(name)
        """,
    )


def test_prompt_in_a_sync_helper_is_the_helpers_and_stays_valid():
    check_transformed(
        CODEMOD,
        """\
        import typer

        def ask():
            return typer.prompt('Name')
        """,
        """\
        import asyncclick as click


        def ask():
            return typer_prompt('Name')
        """,
    )


def test_prompt_in_a_command_is_awaited_and_other_helpers_become_clicks():
    check_transformed(
        CODEMOD,
        """\
        import typer


        def main():
            name = typer.prompt("Name", default="anon")
            if not typer.confirm(f"Greet {name}?"):
                raise typer.Abort()
            typer.secho(name, fg=typer.colors.GREEN)
            raise typer.Exit(code=1)


        typer.run(main)
        """,
        """\
        import asyncclick as click


        @click.command(cls=TyperCommand, add_completion=False)
        async def main():
            name = await click.prompt("Name", default="anon")
            if not click.confirm(f"Greet {name}?"):
                raise click.Abort()
            click.secho(name, fg="green")
            raise click.exceptions.Exit(code=1)


        main()
        """,
    )


HELPERS = """
import typer

app = typer.Typer()


@app.command()
def greet(name: str = ""):
    if not name:
        name = typer.prompt("Name", default="anon")
    if not typer.confirm(f"Greet {name}?", default=True):
        raise typer.Abort()
    label = typer.style("hi", fg=typer.colors.RED, bold=True)
    typer.echo(label + " " + name)
    typer.secho("done", fg="green", err=True)
    with typer.progressbar(range(3), label="working") as items:
        total = sum(items)
    typer.echo(total)


@app.command()
def fail():
    raise typer.Exit(code=4)
"""


async def test_echo_prompt_confirm_style_progressbar_behave_the_same(tmp_path):
    await assert_same(HELPERS, [["greet", "--name", "ann"], ["greet"], ["fail"]], tmp_path, input="bob\ny\n")
    await assert_same(HELPERS, [["greet", "--name", "ann"]], tmp_path, input="n\n")
