"""Flask's ``app.config``: a dict filled from objects, mappings, Python files and the environment.

The app's own config code runs unchanged; end state: a pydantic-settings class read once at startup.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from typing import Any


def import_string(import_name: str) -> Any:
    """Werkzeug's ``import_string``: the dotted name as a module first (even one still importing), else ``mod.attr``."""
    import_name = import_name.replace(":", ".")
    try:
        __import__(import_name)
    except ImportError:
        if "." not in import_name:
            raise
    else:
        return sys.modules[import_name]
    module_name, obj_name = import_name.rsplit(".", 1)
    module = __import__(module_name, globals(), locals(), [obj_name])
    try:
        return getattr(module, obj_name)
    except AttributeError as exc:
        raise ImportError(exc) from None


class Config(dict):
    """``app.config`` as Flask has it: a dict with ``from_object``/``from_mapping``/``from_pyfile``/``from_envvar``."""

    def __init__(self, root_path: str = ".", defaults: dict | None = None):
        super().__init__(defaults or {})
        self.root_path = root_path

    def from_object(self, obj: Any) -> None:
        if isinstance(obj, str):
            obj = import_string(obj)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_mapping(self, mapping: dict | None = None, **kwargs: Any) -> bool:
        for key, value in {**(mapping or {}), **kwargs}.items():
            if key.isupper():
                self[key] = value
        return True

    def from_pyfile(self, filename: str, silent: bool = False) -> bool:
        path = os.path.join(self.root_path, filename)
        try:
            with open(path, "rb") as handle:
                namespace: dict = {"__file__": path}
                exec(compile(handle.read(), path, "exec"), namespace)
        except OSError:
            if silent:
                return False
            raise
        self.from_mapping({k: v for k, v in namespace.items() if k.isupper()})
        return True

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        path = os.environ.get(variable_name)
        if not path:
            if silent:
                return False
            raise RuntimeError(f"The environment variable {variable_name!r} is not set")
        return self.from_pyfile(path, silent=silent)

    def from_prefixed_env(self, prefix: str = "FLASK") -> bool:
        for key in sorted(os.environ):
            if key.startswith(f"{prefix}_"):
                value: Any = os.environ[key]
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
                self[key[len(prefix) + 1 :]] = value
        return True

    def get_namespace(self, namespace: str, lowercase: bool = True, trim_namespace: bool = True) -> dict:
        found = {}
        for key, value in self.items():
            if key.startswith(namespace):
                name = key[len(namespace) :] if trim_namespace else key
                found[name.lower() if lowercase else name] = value
        return found


DEFAULTS = {
    "DEBUG": False,
    "TESTING": False,
    "SECRET_KEY": None,
    "SECRET_KEY_FALLBACKS": None,
    "SESSION_COOKIE_NAME": "session",
    "SESSION_COOKIE_DOMAIN": None,
    "SESSION_COOKIE_PATH": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_PARTITIONED": False,
    "SESSION_COOKIE_SAMESITE": None,
    "SESSION_REFRESH_EACH_REQUEST": True,
    "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
    "MAX_CONTENT_LENGTH": None,
    "SERVER_NAME": None,
    "APPLICATION_ROOT": "/",
    "PREFERRED_URL_SCHEME": "http",
    "PROPAGATE_EXCEPTIONS": None,
}
