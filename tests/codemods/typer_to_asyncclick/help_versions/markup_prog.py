"""A Typer program whose help reads differently with markup and without (Typer's default below 0.20.1)."""

import typer

app = typer.Typer()


@app.command()
def clean(
    skip: str = typer.Option("", help="Names to skip, or a list in a config file: `skip: [os, time]`."),
    loud: bool = typer.Option(False, help="Say [bold]more[/bold]."),
):
    """Remove what is [red]unused[/red].

    Reads the config
    file first.
    """
