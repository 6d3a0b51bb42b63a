"""Callbacks: ``@app.callback()``, ``typer.Typer(callback=f)`` and a late ``@sub.callback(...)`` define the Click group.

The group is defined where its callback function is; the callback's settings go onto the group unless
``add_typer`` gave them (Typer's order: ``add_typer`` > ``@callback`` > ``Typer()``).
"""

from __future__ import annotations

from codemod_helpers import assert_same, check_noop, check_transformed

from codemods.typer_to_asyncclick import CODEMOD

# -- @app.callback(): the group is defined on the function ----------------------------------------


def test_plain_click_group_is_left_alone():
    check_noop(CODEMOD, "import asyncclick as click\n\n\n@click.group()\nasync def cli():\n    pass\n")


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


# -- typer.Typer(callback=f) ---------------------------------------------------------------------

KEYWORD = """\
import typer


def callback():
    print("Running a command")


app = typer.Typer(callback=callback)


@app.command()
def create(name: str):
    print(f"Creating user: {name}")
"""


def test_callback_from_elsewhere_is_left_alone():
    check_noop(CODEMOD, "import asyncclick as click\n\napp = click.Group(callback=print)\n")


def test_callback_keyword_rewritten_to_a_group_on_the_function():
    check_transformed(
        CODEMOD,
        KEYWORD,
        """\
        import asyncclick as click


        @click.group(cls=TyperGroup)
        async def callback():
            print("Running a command")


        app = callback


        @app.command()
        @click.argument("name", cls=TyperArgument)
        async def create(name: str):
            print(f"Creating user: {name}")
        """,
    )


async def test_callback_keyword_behaves_the_same(tmp_path):
    await assert_same(KEYWORD, [["create", "Ann"], ["--help"], ["create"]], tmp_path)


# -- a callback declared after its group is used: its settings are set on the group ----------------

TRANSPLANT = """\
import typer

app = typer.Typer()
users_app = typer.Typer(name="exp-users", help="Explicit help.")
items_app = typer.Typer()
app.add_typer(users_app, name="users", help="Given when added.")
app.add_typer(items_app, name="items")


@users_app.callback(help="From the users callback.")
def users():
    \"\"\"Users docstring.\"\"\"


@items_app.callback(invoke_without_command=True, help="From the items callback.")
def items(ctx: typer.Context):
    if ctx.invoked_subcommand is None:
        print("no item command")


@users_app.command()
def create(name: str):
    print(f"Creating user: {name}")


@items_app.command()
def show():
    print("item")
"""


def test_transplanted_callback_sets_its_settings_unless_add_typer_gave_them():
    check_transformed(
        CODEMOD,
        TRANSPLANT,
        """\
        import asyncclick as click


        app = TyperGroup()
        users_app = TyperGroup(help="Given when added.")
        items_app = TyperGroup(invoke_without_command=True, help="From the items callback.")
        app.add_command(users_app, "users")
        app.add_command(items_app, "items")


        @click.command()
        async def users():
            \"\"\"Users docstring.\"\"\"


        # 'users_app' is created above; this gives it its callback and options
        users_app.callback, users_app.params = users.callback, users.params


        @click.command()
        @click.pass_context
        async def items(ctx: click.Context):
            if ctx.invoked_subcommand is None:
                print("no item command")


        # 'items_app' is created above; this gives it its callback and options
        items_app.callback, items_app.params = items.callback, items.params
        items_app.invoke_without_command = True
        items_app.help = "From the items callback."


        @users_app.command()
        @click.argument("name", cls=TyperArgument)
        async def create(name: str):
            print(f"Creating user: {name}")


        @items_app.command()
        async def show():
            print("item")
        """,
    )


async def test_transplanted_callback_runs_the_same(tmp_path):
    argvs = [["--help"], ["users", "--help"], ["items"], ["items", "--help"], ["users", "create", "Ana"]]
    await assert_same(TRANSPLANT, argvs, tmp_path)
