"""A callback declared after its group is used: @callback(...) settings go onto the group, add_typer's win."""

from __future__ import annotations

from codemod_helpers import assert_same, check_noop

from codemods.typer_to_asyncclick import CODEMOD

PROGRAM = """\
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
    after, _ = CODEMOD.apply(PROGRAM)
    assert 'users_app.help = "From the users callback."' not in after
    assert 'items_app.help = "From the items callback."' in after and "items_app.invoke_without_command = True" in after


def test_plain_click_group_is_left_alone():
    check_noop(CODEMOD, "import asyncclick as click\n\n\n@click.group()\nasync def cli():\n    pass\n")


async def test_runs_the_same(tmp_path):
    await assert_same(PROGRAM, [["--help"], ["users", "--help"], ["items"], ["items", "--help"], ["users", "create", "Ana"]], tmp_path)
