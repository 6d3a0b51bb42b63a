import typer

app = typer.Typer()
state = {"verbose": False}


@app.command()
def create(title: str, body: str = typer.Option("", "--body", "-b"), tag: list[str] = typer.Option(None)):
    if state["verbose"]:
        typer.echo("About to create a note")
    typer.echo(f"note {title!r} body={body!r} tags={tag}")


@app.command()
def delete(title: str, force: bool = typer.Option(..., prompt="Are you sure?", help="Force deletion without confirmation.")):
    typer.echo(f"deleted {title}" if force else "kept")


@app.callback()
def main(verbose: bool = False):
    """Manage notes in the awesome CLI app."""
    if verbose:
        typer.echo("Will write verbose output")
        state["verbose"] = True


if __name__ == "__main__":
    app()
