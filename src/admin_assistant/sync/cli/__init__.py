"""The old stack's command line (Typer). ``app`` is what ``compat.cli`` hands argv to at ``sync``/``shadow``."""

from admin_assistant.sync.cli.main import app

__all__ = ["app"]
