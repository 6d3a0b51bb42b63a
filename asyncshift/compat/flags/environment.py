"""Where the flags come from: the file ``$ASYNCSHIFT_FLAGS`` names, and the rollback override.

``ASYNCSHIFT_ROLLBACK=1`` forces rollback when the file can't be edited (a read-only mount, a
broken deploy); it is read on every check, so it needs no restart either.
"""

from __future__ import annotations

import os

ENV_FLAGS = "ASYNCSHIFT_FLAGS"
ENV_ROLLBACK = "ASYNCSHIFT_ROLLBACK"
DEFAULT_FILE = "feature_flags.yaml"


def env_rollback() -> bool:
    """True when ``ASYNCSHIFT_ROLLBACK`` asks for rollback (``1``, ``true``, ``yes`` or ``on``)."""
    return os.environ.get(ENV_ROLLBACK, "").strip().lower() in ("1", "true", "yes", "on")


def default_path() -> str:
    """``$ASYNCSHIFT_FLAGS`` when set, else ``feature_flags.yaml`` in the working directory."""
    return os.environ.get(ENV_FLAGS) or DEFAULT_FILE
