import typer

app = typer.Typer()


@app.command()
def main(
    verbose: int = typer.Option(0, "--verbose", "-v", count=True),
    times: int = typer.Option(1, "--times", "-t", min=1, max=3, clamp=True),
    word: str = typer.Argument("tick"),
):
    for _ in range(times):
        typer.echo(word)
    typer.echo(f"verbosity {verbose}")


if __name__ == "__main__":
    app()
