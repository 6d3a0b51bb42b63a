"""The new stack's command line (AsyncClick). ``app`` is what ``compat.cli`` hands argv to at ``live``/``async``."""

from admin_assistant.aio.cli.main import app

__all__ = ["app"]
