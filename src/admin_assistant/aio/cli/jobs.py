"""placeholder"""
from admin_assistant.aio.cli.common import click_group
app = click_group("Scheduled jobs.")
