# ruff: noqa
# A Typer program in Typer's own style (defaults as typer.Option(...), typing.List), whose --help the real
# Typer and Click versions printed in recorded.json (record.py); the tests convert it and compare.
import enum
from datetime import datetime
from pathlib import Path
from typing import List, Optional, Tuple

import typer
from typing_extensions import Annotated

app = typer.Typer(help="A sample tool.", epilog="See the docs.")
sub = typer.Typer(help="Sub commands.")
app.add_typer(sub, name="sub")


class Color(str, enum.Enum):
    red = "red"
    green = "green"


@app.command()
def args(
    name: str = typer.Argument(..., help="The name to greet."),
    count: int = typer.Argument(..., help="How many times."),
    bare: str = typer.Argument(...),
    opt: Optional[str] = typer.Argument(None, help="An optional argument."),
    flag: bool = typer.Argument(False, help="A bool argument."),
    files: Optional[List[Path]] = typer.Argument(None, help="Some files."),
):
    """Arguments of every kind."""


@app.command()
def args2(
    level: Annotated[int, typer.Argument(min=0, max=9, help="Level.")] = 3,
    when: Annotated[Optional[datetime], typer.Argument(help="When.")] = None,
    color: Annotated[Color, typer.Argument(help="Colour.")] = Color.red,
    env: Annotated[str, typer.Argument(envvar="SAMPLE_ENV", help="From env.", show_envvar=True)] = "x",
    ratio: Annotated[float, typer.Argument()] = 0.5,
    path: Annotated[Optional[Path], typer.Argument(exists=False, dir_okay=False, metavar="FILE")] = None,
):
    """Optional arguments with types."""


@app.command()
def opts(
    text: str = typer.Option("hi", help="Text."),
    number: int = typer.Option(1, "--number", "-n", help="A number."),
    ratio: float = typer.Option(0.5),
    loud: bool = typer.Option(False, help="Loud."),
    quiet: bool = typer.Option(False, "--quiet/--no-quiet", "-q/-Q"),
    only_on: bool = typer.Option(False, "--on", help="On only."),
    verbose: int = typer.Option(0, "-v", count=True),
    tags: List[str] = typer.Option([], "--tag", help="Tags."),
    pair: Tuple[int, str] = typer.Option((1, "a"), help="A pair."),
    color: Color = typer.Option(Color.red, case_sensitive=False),
    path: Optional[Path] = typer.Option(None, dir_okay=False),
    folder: Path = typer.Option(Path("."), file_okay=False),
    when: Optional[datetime] = typer.Option(None),
    day: datetime = typer.Option(None, formats=["%Y-%m-%d"]),
    level: int = typer.Option(3, min=0, max=9, help="Level."),
    low: float = typer.Option(1.0, min=0),
    token: str = typer.Option(..., envvar="SAMPLE_TOKEN", show_envvar=True, help="Token."),
    shown: str = typer.Option("a", show_default="the a"),
    hidden_default: str = typer.Option("b", show_default=False),
    empty: str = typer.Option(""),
    secret: str = typer.Option("s", hidden=True),
    meta: str = typer.Option("m", metavar="WORD"),
    panel: str = typer.Option("p", rich_help_panel="Extra"),
    prompted: str = typer.Option("p", prompt=True),
):
    """Options of every kind.

    A second paragraph.
    """


@app.command(deprecated=True, short_help="Short.")
def old(name: Annotated[str, typer.Argument(help="Name.", rich_help_panel="Names")]):
    """Old command with a long help."""


@app.command(hidden=True)
def hidden():
    pass


@sub.command("do-it")
def do_it(item_id: int = typer.Argument(..., help="ID."), force: bool = typer.Option(False, "--force", "-f")):
    """Do it."""


@sub.callback()
def sub_main(ctx: typer.Context, debug: bool = False):
    """Sub group."""
