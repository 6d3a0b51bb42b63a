"""Parameters: both styles, derived and custom names, flags, types, defaults; each program run both ways."""

from __future__ import annotations

from codemod_helpers import assert_same, check_transformed

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
        def main(name: Annotated[str, typer.Argument()] = "World", force: Annotated[bool, typer.Option("--force", "-f")] = False):
            print(name, force)
        """,
        """\
        from typing import Annotated

        import asyncclick as click


        @click.command(cls=TyperCommand)
        @click.argument("name", default="World", cls=TyperArgument)
        @click.option("--force", "-f", is_flag=True, default=False)
        async def main(name: str, force: bool):
            print(name, force)


        app = main
        """,
    )


def test_module_without_typer_is_left_alone():
    source = "import click\n\n@click.command()\ndef main():\n    pass\n"
    assert CODEMOD.apply(source)[0] == source


NAMES = '''
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
'''


async def test_names_flags_and_required_options_behave_the_same(tmp_path):
    await assert_same(
        NAMES,
        [
            ["create-user", "bob", "-l", "1"],
            ["create-user", "bob", "--full-name", "Bob B", "--is-admin", "--for-real", "-y", "--userId", "7", "-l", "2"],
            ["create-user", "bob", "--no-is-admin", "-n", "--level", "3"],
            ["create-user", "bob"],
            ["delete-group", "x"],
            ["delete", "x"],
            ["nope"],
        ],
        tmp_path,
    )


TYPES = '''
import datetime
import enum
import uuid
from pathlib import Path
from typing import List, Literal, Optional, Tuple

import typer

app = typer.Typer()


class Color(str, enum.Enum):
    red = "red"
    green = "green"


class Level(enum.IntEnum):
    low = 1
    high = 2


def today() -> str:
    return "2024-01-01"


@app.command()
def run(
    color: Color = Color.red,
    colors: List[Color] = typer.Option([], "--colors"),
    level: Optional[Level] = None,
    shade: Color = typer.Option(Color.green, case_sensitive=False),
    mode: Literal["fast", "slow"] = "fast",
    names: List[str] = typer.Option(None, "--name", "-n"),
    point: Tuple[int, int] = (0, 0),
    ratio: float = typer.Option(0.5, min=0, max=1),
    retries: int = typer.Option(3, min=0, max=5, clamp=True),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True),
    when: Optional[datetime.datetime] = typer.Option(None, formats=["%Y-%m-%d"]),
    ident: Optional[uuid.UUID] = None,
    config: Optional[Path] = typer.Option(None, exists=True, dir_okay=False),
    day: str = typer.Option(default_factory=today),
    price: float = 2,
):
    print(color, colors, level, shade, mode, names, point, ratio, retries, verbose, when, ident, config, day, price)


@app.command()
def files(paths: List[Path] = typer.Argument(None), first: Optional[str] = typer.Argument(None)):
    print(paths, first)
'''


async def test_types_and_ranges_behave_the_same(tmp_path):
    (tmp_path / "conf.ini").write_text("x")
    await assert_same(
        TYPES,
        [
            ["run"],
            ["run", "--color", "green", "--colors", "red", "--colors", "green", "--level", "2", "--shade", "RED"],
            ["run", "--color", "blue"],
            ["run", "--mode", "slow", "-n", "a", "-n", "b", "--point", "3", "4", "--ratio", "0.25"],
            ["run", "--ratio", "2"],
            ["run", "--retries", "99", "-vvv"],
            ["run", "--when", "2024-02-03", "--ident", "12345678-1234-5678-1234-567812345678"],
            ["run", "--when", "yesterday"],
            ["run", "--config", str(tmp_path / "conf.ini"), "--price", "3"],
            ["run", "--config", str(tmp_path / "missing.ini")],
            ["run", "--config", str(tmp_path)],
            ["files"],
            ["files", "a", "b"],
        ],
        tmp_path,
    )


ENV_PROMPT = '''
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
'''


async def test_envvar_and_prompts_behave_the_same(tmp_path):
    await assert_same(ENV_PROMPT, [[], ["--user", "bob"]], tmp_path, input="bob\nsecret\nsecret\n")
    await assert_same(ENV_PROMPT, [["--user", "a", "--password", "b"]], tmp_path, env={"APP_TOKEN": "t0k", "APP_REGION": "us"})


CALLBACKS = '''
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
'''


async def test_callbacks_and_eager_version_behave_the_same(tmp_path):
    await assert_same(CALLBACKS, [["--name", "Camila"], ["--name", "Rick"], ["--version"], ["--version", "--name", "Rick"]], tmp_path, entry="main")
