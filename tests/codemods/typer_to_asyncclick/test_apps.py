"""Apps: ``typer.Typer()`` to a Click group (or a single command), its commands, sub-apps and entry points."""

from __future__ import annotations

from codemod_helpers import assert_same, check_noop, check_transformed

from codemods.typer_to_asyncclick import CODEMOD


def test_an_app_that_is_not_typers_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        from myproject.typer_like import Typer

        app = Typer(help="Not Typer's.")


        @app.command()
        def hello():
            pass
        """,
    )


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


def test_sub_apps_become_groups_added_by_name():
    check_transformed(
        CODEMOD,
        """\
        import typer

        app = typer.Typer(no_args_is_help=True)
        users_app = typer.Typer()
        app.add_typer(users_app, name="users", help="Manage users.")


        @users_app.command("create")
        def users_create(name: str):
            typer.echo(f"Creating user: {name}")


        @app.command()
        def version():
            typer.echo("1.0")


        if __name__ == "__main__":
            app()
        """,
        """\
        import asyncclick as click


        app = TyperGroup(no_args_is_help=True)
        users_app = TyperGroup(help="Manage users.")
        app.add_command(users_app, "users")


        @users_app.command("create")
        @click.argument("name", cls=TyperArgument)
        async def users_create(name: str):
            click.echo(f"Creating user: {name}")


        @app.command()
        async def version():
            click.echo("1.0")


        if __name__ == "__main__":
            app()
        """,
    )


GROUPS = """
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
"""


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
