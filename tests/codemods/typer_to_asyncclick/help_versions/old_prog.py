# ruff: noqa: UP045, B008  (Typer 0.9 takes no "X | None"; its defaults are typer.Option calls)
from enum import Enum
from typing import Optional

import typer


class Db(str, Enum):
    postgres = "Postgres"
    mysql = "MySQL"


app = typer.Typer(add_completion=False, help="Make projects.")


@app.command(help="Make a project.")
def startproject(
    name: str,
    database: Optional[Db] = typer.Option(None, case_sensitive=False),
    docker: bool = typer.Option(False),
):
    print(name, database, docker)


@app.command()
def startapp(name: str):
    """Make a part of one, its help written
    over two lines, [bold]as written[/bold].

    A second paragraph,
    also on two lines.
    """
    print(name)


@app.command(help="Run it.")
def run(prod: bool = typer.Option(False), count: int = typer.Option(1)):
    print(prod, count)
