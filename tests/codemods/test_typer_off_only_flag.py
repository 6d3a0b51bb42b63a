"""An off-only flag (``" /--demo"``): Click runs it but its help failed on the missing on-name."""

from __future__ import annotations

from codemod_helpers import assert_same, check_noop, check_transformed

from codemods.typer_to_asyncclick import CODEMOD

PROGRAM = """\
from typing import Annotated

import typer

app = typer.Typer()


@app.command()
def main(in_prod: Annotated[bool, typer.Option(" /--demo", " /-d", help="Demo mode.")] = True, force: bool = False):
    print("production" if in_prod else "demo", force)
"""


def test_off_only_flag_keeps_its_declarations():
    check_transformed(
        CODEMOD,
        PROGRAM,
        """\
        from typing import Annotated

        import asyncclick as click


        @click.command(cls=TyperCommand)
        @click.option(" /--demo", " /-d", "in_prod", default=True, help="Demo mode.")
        @click.option("--force/--no-force", default=False)
        async def main(in_prod: bool, force: bool):
            print("production" if in_prod else "demo", force)


        app = main
        """,
    )


async def test_off_only_flag_runs_and_shows_help_the_same(tmp_path):
    await assert_same(PROGRAM, [["--help"], [], ["-d"], ["--demo", "--force"]], tmp_path)


def test_click_program_with_off_only_flag_is_left_alone():
    check_noop(CODEMOD, 'import asyncclick as click\n\n\n@click.command()\n@click.option(" /--demo", "in_prod", default=True)\nasync def main(in_prod):\n    pass\n')
