"""placeholder"""
from admin_assistant.sync.cli.common import typer_app
app = typer_app("Scheduled jobs.")
