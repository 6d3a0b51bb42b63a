"""The versions of Flask and Werkzeug installed beside the converted app (during the strangler).

Their answers changed between releases (JSON bytes, session cookies, query strings): the helpers
follow the release the app still has installed.
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=None)  # noqa: UP033 - functools.cache is Python 3.9+
def installed_version(distribution: str) -> tuple[int, ...] | None:
    """``(major, minor, patch)`` of an installed distribution, or None when it is not installed."""
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover - Python 3.7
        return None
    try:
        text = version(distribution)
    except PackageNotFoundError:
        return None
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def flask_version() -> tuple[int, ...] | None:
    """The Flask installed beside the converted app, whose JSON and session rules to follow."""
    return installed_version("flask")
