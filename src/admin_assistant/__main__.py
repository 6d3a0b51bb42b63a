"""``python -m admin_assistant``: the same as the ``admin-assistant`` command."""

from admin_assistant.wiring.cli import main

main()
