from enum import Enum
from typing import Annotated, Optional

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, context_settings={"help_option_names": ["-h", "--help"]})


class Env(str, Enum):
    dev = "dev"
    staging = "staging"
    prod = "prod"


Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Print more.")]


@app.command()
def deploy(
    service: Annotated[str, typer.Argument(help="Service to deploy.")],
    env: Annotated[Env, typer.Option("--env", "-e", case_sensitive=False)] = Env.dev,
    replicas: Annotated[int, typer.Option(min=1, max=10)] = 1,
    dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
    verbose: Verbose = False,
):
    """Deploy SERVICE to an environment."""
    if env is Env.prod and not dry_run:
        if not typer.confirm(f"Deploy {service} to prod?"):
            raise typer.Abort()
    typer.echo(f"deploying {service} to {env.value} x{replicas} dry_run={dry_run}")
    if verbose:
        typer.echo("verbose on")


@app.command()
def rollback(service: str, to: Annotated[Optional[str], typer.Option(help="Version.")] = None, verbose: Verbose = False):
    typer.echo(f"rollback {service} to {to or 'previous'}")


if __name__ == "__main__":
    app()
