"""Parameters: ``typer.Option``/``typer.Argument`` (both styles) to ``@click.option``/``@click.argument`` lines.

Derived and custom names, flags (off-only ones too), defaults, envvars, prompts and parameter callbacks.
"""

from __future__ import annotations

from codemod_helpers import assert_same, check_noop, check_transformed

from codemods.typer_to_asyncclick import CODEMOD


def test_default_style_option_and_argument_rewritten():
    check_transformed(
        CODEMOD,
        """\
        import typer


        def main(user_name: str, count: int = typer.Option(1, "--count", "-c", help="How many.")):
            typer.echo(user_name * count)


        if __name__ == "__main__":
            typer.run(main)
        """,
        """\
        import asyncclick as click


        @click.command(cls=TyperCommand, add_completion=False)
        @click.argument("user_name", cls=TyperArgument)
        @click.option("--count", "-c", default=1, help="How many.")
        async def main(user_name: str, count: int):
            click.echo(user_name * count)


        if __name__ == "__main__":
            main()
        """,
    )


def test_annotated_style_rewritten():
    check_transformed(
        CODEMOD,
        """\
        from typing import Annotated

        import typer

        app = typer.Typer()


        @app.command()
        def main(
            name: Annotated[str, typer.Argument()] = "World",
            force: Annotated[bool, typer.Option("--force", "-f")] = False,
        ):
            print(name, force)
        """,
        """\
        from typing import Annotated

        import asyncclick as click


        @click.command(cls=TyperCommand)
        @click.argument("name", default="World", cls=TyperArgument)
        @click.option("--force", "-f", is_flag=True, default=False)
        async def main(
            name: str = "World",
            force: bool = False,
        ):
            print(name, force)


        app = main
        """,
    )


def test_module_without_typer_is_left_alone():
    check_noop(CODEMOD, "import click\n\n@click.command()\ndef main():\n    pass\n")


NAMES = """
import typer
from typing import Annotated, Optional

app = typer.Typer()


@app.command()
def create_user(
    user_name: str,
    full_name: str = "",
    is_admin: bool = False,
    dry_run: Annotated[bool, typer.Option("--dry-run/--for-real", "-n")] = True,
    accept: bool = typer.Option(False, "--yes", "-y", is_flag=True),
    userId: Optional[int] = None,
    level: int = typer.Option(..., "--level", "-l"),
):
    print(user_name, full_name, is_admin, dry_run, accept, userId, level)


@app.command()
def delete_group(name: str):
    print("deleted", name)
"""


async def test_names_flags_and_required_options_behave_the_same(tmp_path):
    await assert_same(
        NAMES,
        [
            ["create-user", "bob", "-l", "1"],
            [
                "create-user",
                "bob",
                "--full-name",
                "Bob B",
                "--is-admin",
                "--for-real",
                "-y",
                "--userId",
                "7",
                "-l",
                "2",
            ],
            ["create-user", "bob", "--no-is-admin", "-n", "--level", "3"],
            ["create-user", "bob"],
            ["delete-group", "x"],
            ["delete", "x"],
            ["nope"],
        ],
        tmp_path,
    )


ENV_PROMPT = """
import typer

app = typer.Typer()


@app.command()
def login(
    user: str = typer.Option(..., prompt=True),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    token: str = typer.Option("none", envvar="APP_TOKEN"),
    region: str = typer.Argument("eu", envvar="APP_REGION"),
):
    print(user, password, token, region)
"""


async def test_envvar_and_prompts_behave_the_same(tmp_path):
    await assert_same(ENV_PROMPT, [[], ["--user", "bob"]], tmp_path, input="bob\nsecret\nsecret\n")
    await assert_same(
        ENV_PROMPT, [["--user", "a", "--password", "b"]], tmp_path, env={"APP_TOKEN": "t0k", "APP_REGION": "us"}
    )


CALLBACKS = """
from typing import Optional

import typer

__version__ = "1.2.3"


def version_callback(value: bool):
    if value:
        typer.echo(f"Awesome CLI Version: {__version__}")
        raise typer.Exit()


def name_callback(ctx: typer.Context, param: typer.CallbackParam, value: str):
    if ctx.resilient_parsing:
        return
    if value != "Camila":
        raise typer.BadParameter("Only Camila is allowed")
    return value


def main(
    name: str = typer.Option(..., callback=name_callback),
    version: Optional[bool] = typer.Option(None, "--version", callback=version_callback, is_eager=True),
):
    typer.echo(f"Hello {name}")


if __name__ == "__main__":
    typer.run(main)
"""


async def test_callbacks_and_eager_version_behave_the_same(tmp_path):
    await assert_same(
        CALLBACKS,
        [["--name", "Camila"], ["--name", "Rick"], ["--version"], ["--version", "--name", "Rick"]],
        tmp_path,
        entry="main",
    )


# -- an off-only flag (" /--demo"): Click runs it but its help failed on the missing on-name ------

OFF_ONLY = """\
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
        OFF_ONLY,
        """\
        from typing import Annotated

        import asyncclick as click


        @click.command(cls=TyperCommand)
        @click.option(" /--demo", " /-d", "in_prod", default=True, help="Demo mode.")
        @click.option("--force/--no-force", default=False)
        async def main(in_prod: bool = True, force: bool = False):
            print("production" if in_prod else "demo", force)


        app = main
        """,
    )


async def test_off_only_flag_runs_and_shows_help_the_same(tmp_path):
    await assert_same(OFF_ONLY, [["--help"], [], ["-d"], ["--demo", "--force"]], tmp_path)


def test_click_program_with_off_only_flag_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        import asyncclick as click


        @click.command()
        @click.option(" /--demo", "in_prod", default=True)
        async def main(in_prod):
            pass
        """,
    )
