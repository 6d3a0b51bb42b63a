import enum
from typing import List, Literal, Tuple

import typer

cli = typer.Typer(invoke_without_command=True)


class Size(enum.Enum):
    S = "s"
    M = "m"
    L = "l"


@cli.callback()
def root(ctx: typer.Context):
    if ctx.invoked_subcommand is None:
        typer.echo("shop: try 'order'")


@cli.command()
def order(
    item: str,
    size: Size = typer.Option(Size.M),
    extras: List[str] = typer.Option([], "--extra", "-x"),
    ship: Literal["ground", "air"] = "ground",
    dims: Tuple[int, int, int] = typer.Option((1, 1, 1)),
    price: float = typer.Option(9.99, min=0.0),
):
    typer.echo(f"{item} {size.name} {extras} {ship} {dims} {price:.2f}")


@cli.command(deprecated=True, help="Old order command.")
def buy(item: str):
    typer.echo(f"bought {item}")


if __name__ == "__main__":
    cli()
