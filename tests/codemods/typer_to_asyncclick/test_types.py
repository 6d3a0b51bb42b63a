"""Types: a parameter's annotation (Enum, Literal, list, tuple, datetime, UUID, Path, ranges) read as Typer reads it."""

from __future__ import annotations

from codemod_helpers import assert_same, check_noop, check_transformed

from codemods.typer_to_asyncclick import CODEMOD


def test_click_types_are_left_alone():
    check_noop(
        CODEMOD,
        """\
        import enum

        import asyncclick as click


        class Color(str, enum.Enum):
            red = "red"


        @click.command()
        @click.option("--color", type=click.Choice([c.value for c in Color]), default="red")
        async def main(color: Color):
            print(color)
        """,
    )


def test_annotations_become_click_types():
    check_transformed(
        CODEMOD,
        """\
        import datetime
        import enum
        from pathlib import Path
        from typing import List, Literal, Optional, Tuple

        import typer


        class Color(str, enum.Enum):
            red = "red"
            green = "green"


        def main(
            color: Color = Color.red,
            mode: Literal["fast", "slow"] = "fast",
            names: List[str] = typer.Option(None, "--name"),
            point: Tuple[int, int] = (0, 0),
            retries: int = typer.Option(3, min=0, max=5, clamp=True),
            when: Optional[datetime.datetime] = typer.Option(None, formats=["%Y-%m-%d"]),
            config: Optional[Path] = typer.Option(None, exists=True, dir_okay=False),
        ):
            print(color, mode, names, point, retries, when, config)


        typer.run(main)
        """,
        """\
        import datetime
        import enum
        from pathlib import Path
        from typing import List, Literal, Optional, Tuple

        import asyncclick as click


        class Color(str, enum.Enum):
            red = "red"
            green = "green"


        @click.command(cls=TyperCommand, add_completion=False)
        @click.option("--color", type=click.Choice([e.value for e in Color]), default=Color.red.value)
        @click.option("--mode", type=click.Choice(["fast", "slow"]), default="fast")
        @click.option("--name", "names", multiple=True)
        @click.option("--point", type=(int, int), default=(0, 0))
        @click.option("--retries", type=click.IntRange(min=0, max=5, clamp=True), default=3)
        @click.option("--when", type=click.DateTime(["%Y-%m-%d"]))
        @click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path))
        async def main(
            color: Color,
            mode: Literal["fast", "slow"],
            names: List[str],
            point: Tuple[int, int],
            retries: int,
            when: Optional[datetime.datetime],
            config: Optional[Path],
        ):
            color = Color(color)
            names = list(names) or None
            print(color, mode, names, point, retries, when, config)


        main()
        """,
    )


TYPES = """
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
"""


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


STR_WITH_A_FALSE_DEFAULT = """\
from typing import Optional

import typer

app = typer.Typer()


@app.command()
def main(password: Optional[str] = typer.Option(False, help="A password."), tries: str = typer.Option(3)):
    print(repr(password), repr(tries))
"""


async def test_a_str_option_with_a_bool_or_number_default_stays_str(tmp_path):
    """Typer takes the type from the annotation; Click, given none, from the default (a BOOLEAN, an INTEGER)."""
    await assert_same(STR_WITH_A_FALSE_DEFAULT, [[], ["--password", "x", "--tries", "4"], ["--help"]], tmp_path)
