"""``typer.Typer(callback=f)``: ``f`` becomes the group's callback, as if decorated with ``@app.callback()``."""

from __future__ import annotations

from codemod_helpers import assert_same, check_noop, check_transformed

from codemods.typer_to_asyncclick import CODEMOD

SOURCE = '''\
import typer


def callback():
    print("Running a command")


app = typer.Typer(callback=callback)


@app.command()
def create(name: str):
    print(f"Creating user: {name}")
'''


def test_callback_from_elsewhere_is_left_alone():
    check_noop(CODEMOD, "import asyncclick as click\n\napp = click.Group(callback=print)\n")


def test_callback_keyword_rewritten_to_a_group_on_the_function():
    check_transformed(
        CODEMOD,
        SOURCE,
        '''\
        import asyncclick as click


        @click.group(cls=TyperGroup)
        async def callback():
            print("Running a command")


        app = callback


        @app.command()
        @click.argument("name", cls=TyperArgument)
        async def create(name: str):
            print(f"Creating user: {name}")
        ''',
    )


async def test_callback_keyword_behaves_the_same(tmp_path):
    await assert_same(SOURCE, [["create", "Ann"], ["--help"], ["create"]], tmp_path)
