from pathlib import Path
from typing import List, Optional

import typer
from typing_extensions import Annotated

app = typer.Typer()


@app.command()
def count(
    files: Annotated[List[Path], typer.Argument(exists=True, dir_okay=False, help="Files.")],
    pattern: Annotated[Optional[str], typer.Option("--grep", "-g")] = None,
):
    """Count lines in FILES."""
    for f in files:
        lines = f.read_text().splitlines()
        if pattern:
            lines = [line for line in lines if pattern in line]
        typer.echo(f"{f.name}: {len(lines)}")


@app.command()
def show(config: Annotated[typer.FileText, typer.Option("--config")]):
    typer.echo(config.read().strip())


@app.command()
def where(path: Annotated[Path, typer.Option(resolve_path=False, file_okay=False)] = Path(".")):
    typer.echo(str(path))
