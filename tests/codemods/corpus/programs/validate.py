import typer


def check_port(value: int):
    if not 1 <= value <= 65535:
        raise typer.BadParameter("port must be in 1..65535")
    return value


def check_host(ctx: typer.Context, value: str):
    if ctx.resilient_parsing:
        return value
    if " " in value:
        raise typer.BadParameter("no spaces")
    return value.lower()


def serve(host: str = typer.Option("localhost", callback=check_host), port: int = typer.Option(8000, callback=check_port), reload: bool = False):
    typer.echo(f"serving on {host}:{port} reload={reload}")


if __name__ == "__main__":
    typer.run(serve)
