"""Types: a parameter's annotation (Enum, Literal, list, tuple, datetime, UUID, Path, ranges) read as Typer reads it."""

from __future__ import annotations

from codemod_helpers import assert_same

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
