import typer

app = typer.Typer()
users = typer.Typer(help="Users.")
tables = typer.Typer(help="Tables.")
app.add_typer(users, name="users")
app.add_typer(tables, name="tables")


@app.callback()
def cli(ctx: typer.Context, database: str = typer.Option("sqlite:///app.db", "--db", envvar="DATABASE_URL")):
    """Database admin."""
    ctx.obj = {"db": database}


@users.command("add")
def users_add(ctx: typer.Context, email: str, admin: bool = False):
    typer.echo(f"[{ctx.obj['db']}] add {email} admin={admin}")


@users.command("rm")
def users_rm(ctx: typer.Context, emails: list[str]):
    for email in emails:
        typer.echo(f"[{ctx.obj['db']}] rm {email}")


@tables.command("ls")
def tables_ls(ctx: typer.Context, schema: str = "public", limit: int = typer.Option(10, "--limit", "-n")):
    typer.echo(f"[{ctx.obj['db']}] {schema} limit={limit}")


@tables.command("drop")
def tables_drop(name: str, yes: bool = typer.Option(False, "--yes", "-y")):
    if not yes:
        typer.echo("refusing without --yes")
        raise typer.Exit(code=2)
    typer.echo(f"dropped {name}")


if __name__ == "__main__":
    app()
