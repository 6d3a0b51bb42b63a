"""A to-do list kept in a JSON file (tutorial style, default-value params)."""
import json
import os
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(help="Keep a to-do list.")

DB = Path(os.environ.get("TODO_DB", "todo.json"))


def _load() -> list:
    return json.loads(DB.read_text()) if DB.exists() else []


@app.command()
def add(text: List[str], priority: int = typer.Option(2, "--priority", "-p", min=1, max=3)):
    """Add a to-do."""
    items = _load()
    items.append({"text": " ".join(text), "priority": priority, "done": False})
    typer.echo(f'to-do: "{" ".join(text)}" added with priority {priority}')


@app.command("list")
def list_all(done: Optional[bool] = typer.Option(None, "--done/--pending")):
    """List to-dos."""
    typer.echo(f"filter={done}")


@app.command()
def complete(todo_id: int):
    """Complete a to-do."""
    if todo_id < 1:
        typer.secho(f"Invalid to-do id {todo_id}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    typer.echo(f"to-do #{todo_id} completed")


@app.command()
def clear(force: bool = typer.Option(..., prompt="Delete all to-dos?")):
    if force:
        typer.echo("All to-dos were removed")
    else:
        typer.echo("Operation canceled")


if __name__ == "__main__":
    app()
