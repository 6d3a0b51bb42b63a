import typer

app = typer.Typer(help="With completion options.")


@app.command()
def hello(name: str):
    print(name)


@app.command()
def bye():
    print("bye")
