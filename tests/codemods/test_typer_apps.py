"""Apps: Typer() settings, commands, callbacks, sub-apps and entry points; each run both ways."""

from __future__ import annotations

from codemod_helpers import assert_same, check_transformed

from codemods.typer_to_asyncclick import CODEMOD


def test_group_without_callback_becomes_click_group():
    check_transformed(
        CODEMOD,
        """\
        import typer

        app = typer.Typer(help="Tools.", add_completion=False)


        @app.command()
        def hello():
            pass


        @app.command(hidden=True)
        def init_command():
            pass
        """,
        """\
        import asyncclick as click


        app = TyperGroup(help="Tools.", add_completion=False)


        @app.command()
        async def hello():
            pass


        @app.command("init-command", hidden=True)
        async def init_command():
            pass
        """,
    )


def test_callback_defines_the_group_where_it_is():
    after = check_transformed(
        CODEMOD,
        """\
        import typer

        app = typer.Typer(invoke_without_command=True)


        @app.callback()
        def main(ctx: typer.Context):
            \"\"\"Main.\"\"\"
            if ctx.invoked_subcommand is None:
                typer.echo("no command")


        @app.command()
        def sub():
            pass
        """,
        """\
        import asyncclick as click


        @click.group(cls=TyperGroup, invoke_without_command=True)
        @click.pass_context
        async def main(ctx: click.Context):
            \"\"\"Main.\"\"\"
            if ctx.invoked_subcommand is None:
                click.echo("no command")


        app = main


        @app.command()
        async def sub():
            pass
        """,
    )
    assert "typer" not in after


GROUPS = '''
import typer

app = typer.Typer(help="Awesome CLI user manager.", no_args_is_help=True)
users_app = typer.Typer()
items_app = typer.Typer(help="Manage items.")
app.add_typer(users_app, name="users", help="Manage users.")
app.add_typer(items_app, name="items")


@users_app.command("create")
def users_create(name: str):
    typer.echo(f"Creating user: {name}")


@users_app.command("delete")
def users_delete(name: str, force: bool = typer.Option(False, "--force")):
    if not force:
        typer.echo("Not forced")
        raise typer.Exit(code=3)
    typer.echo(f"Deleting user: {name}")


@items_app.callback(invoke_without_command=True)
def items_main(ctx: typer.Context, verbose: bool = False):
    ctx.obj = {"verbose": verbose}
    if ctx.invoked_subcommand is None:
        typer.echo("items: pick a command")


@items_app.command()
def sell(ctx: typer.Context, item: str, price: float = 1.0):
    typer.echo(f"Selling {item} at {price} verbose={ctx.obj['verbose']}")


@app.command()
def version():
    typer.echo("1.0")


if __name__ == "__main__":
    app()
'''


async def test_sub_apps_callbacks_context_and_exit_codes_behave_the_same(tmp_path):
    await assert_same(
        GROUPS,
        [
            [],
            ["version"],
            ["users", "create", "ann"],
            ["users", "delete", "ann"],
            ["users", "delete", "ann", "--force"],
            ["users"],
            ["items"],
            ["items", "--verbose", "sell", "pen", "--price", "2.5"],
            ["items", "sell"],
            ["users", "nope"],
        ],
        tmp_path,
    )


HELPERS = '''
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
'''


async def test_echo_prompt_confirm_style_progressbar_behave_the_same(tmp_path):
    await assert_same(HELPERS, [["greet", "--name", "ann"], ["greet"], ["fail"]], tmp_path, input="bob\ny\n")
    await assert_same(HELPERS, [["greet", "--name", "ann"]], tmp_path, input="n\n")


async def test_single_command_app_runs_without_subcommand_name(tmp_path):
    source = '''
import typer

app = typer.Typer()


@app.command()
def main(name: str, formal: bool = False):
    """Say hello."""
    typer.echo(("Good day " if formal else "Hello ") + name)
'''
    await assert_same(source, [["ann"], ["ann", "--formal"], []], tmp_path)


def test_rich_help_panel_and_markup_mode_are_kept_with_a_note():
    source = """\
import typer

app = typer.Typer(rich_markup_mode="rich")


@app.command(rich_help_panel="Utils")
def a(x: int = typer.Option(1, rich_help_panel="Numbers")):
    pass


@app.command()
def b():
    pass
"""
    after, notes = CODEMOD.apply(source)  # rendered by _asyncclick_rich.py when rich is installed (test_typer_rich_help.py)
    assert 'TyperGroup(rich_markup_mode="rich")' in after and '@app.command(rich_help_panel="Utils")' in after
    assert 'rich_help_panel="Numbers", cls=TyperOption)' in after
    assert any("rich_help_panel of 'x' kept" in n for n in notes.messages)
    assert any("rich_markup_mode kept" in n for n in notes.messages)
