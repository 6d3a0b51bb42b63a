from typing import Optional

import typer

__version__ = "0.4.2"

app = typer.Typer()


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"mytool v{__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Optional[bool] = typer.Option(None, "--version", "-V", help="Show the version and exit.", callback=_version_callback, is_eager=True),
) -> None:
    """mytool: does things."""
    return


@app.command()
def init(path: str = typer.Argument(".", help="Where.")):
    typer.echo(f"initialised {path}")


@app.command()
def status():
    typer.echo("all good")
