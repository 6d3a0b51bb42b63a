"""Feature flags: which stage each target is at, read from ``feature_flags.yaml``.

One idea per module:

- ``model``: ``Stage``, ``ShadowSettings``, ``Gate`` and ``Flags``, one immutable version of the flags;
- ``parsing``: ``parse_flags`` / ``load_flags``, validation with ``file:line: problem; fix`` errors;
- ``store``: ``FlagStore``, which hot-reloads a file and answers "which stage is T at?" at about a
  dict lookup's cost, and ``get_store()`` / ``stage(target)``, the process-wide store;
- ``editing``: ``set_stage`` / ``set_rollback`` / ``notes``, edits that keep the file's comments
  and replace it atomically (``write_atomically``);
- ``environment`` and ``errors``: ``$ASYNCSHIFT_FLAGS`` / ``$ASYNCSHIFT_ROLLBACK``, and ``FlagsError``.

Import from here (``from compat.flags import FlagStore``): the modules are how the code is laid
out, this package is the API.
"""

from __future__ import annotations

from .editing import notes, set_rollback, set_stage, write_atomically
from .environment import DEFAULT_FILE, ENV_FLAGS, ENV_ROLLBACK, default_path, env_rollback
from .errors import FlagsError, Problem
from .model import Flags, Gate, ShadowSettings, Stage
from .parsing import load_flags, parse_flags
from .store import FlagStore, get_store, stage

__all__ = [
    "DEFAULT_FILE",
    "ENV_FLAGS",
    "ENV_ROLLBACK",
    "Flags",
    "FlagsError",
    "FlagStore",
    "Gate",
    "Problem",
    "ShadowSettings",
    "Stage",
    "default_path",
    "env_rollback",
    "get_store",
    "load_flags",
    "notes",
    "parse_flags",
    "set_rollback",
    "set_stage",
    "stage",
    "write_atomically",
]
