"""admin-assistant: archives calendar appointments; runs on a sync and an async stack side by side."""

__version__ = "0.1.0"
