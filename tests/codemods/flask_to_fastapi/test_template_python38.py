"""The helpers written into converted apps run on Python 3.8+: the apps they land in are often old.

Every template module parses with Python 3.8's grammar, and the helper package imports under an old
interpreter (3.8/3.9 when installed) with its third-party imports stood in for, so a 3.9+ name used at import
time (``datetime.UTC``, ``functools.cache``, ``dict[str, int]`` outside annotations) fails here, not in the app.
"""

from __future__ import annotations

import ast
import glob
import shutil
import subprocess
from pathlib import Path

import pytest

from codemods.flask_to_fastapi import support

TEMPLATE = support.TEMPLATE.parent  # template/: _flask_compat/ and the single-module helpers beside it
MODULES = sorted(TEMPLATE.rglob("*.py"))

# Run by the old interpreter: third-party packages (not installed there) become modules of dummy classes, then
# the helper package and every one of its modules is imported.
STAND_INS = r"""
import importlib, importlib.abc, importlib.machinery, pkgutil, sys, types

THIRD_PARTY = {"fastapi", "starlette", "jinja2", "markupsafe", "itsdangerous", "pydantic", "anyio", "click",
               "flask", "werkzeug", "wtforms", "flask_wtf", "sqlalchemy", "flask_sqlalchemy", "marshmallow", "webargs"}


class _Meta(type):
    def __getitem__(cls, item):
        return cls

    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _dummy(name)

    def __or__(cls, other):
        return cls

    __ror__ = __or__


def _dummy(name):
    return _Meta(name, (), {"__init__": lambda self, *a, **k: None,
                            "__call__": lambda self, *a, **k: a[0] if a else None,
                            "__getattr__": lambda self, n: _dummy(n)})


class _StandIn(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        value = _dummy(name)
        setattr(self, name, value)
        return value


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in THIRD_PARTY:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _StandIn(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


sys.meta_path.insert(0, _Finder())
sys.path.insert(0, sys.argv[1])
package = importlib.import_module("_flask_compat")
for info in pkgutil.iter_modules(package.__path__):
    importlib.import_module("_flask_compat." + info.name)
for name in sys.argv[2:]:
    importlib.import_module(name)
print("imported", sys.version_info[:2])
"""


@pytest.mark.parametrize("path", MODULES, ids=[p.relative_to(TEMPLATE).as_posix() for p in MODULES])
def test_every_template_module_parses_with_python_38_grammar(path: Path):
    ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 8))


def _old_python(version: str) -> str | None:
    found = sorted(glob.glob(f"/root/.pyenv/versions/{version}*/bin/python{version}"))
    return found[-1] if found else shutil.which(f"python{version}")


@pytest.mark.parametrize("version", ["3.8", "3.9"])
def test_the_helper_package_imports_under_an_old_python(version: str):
    python = _old_python(version)
    if python is None:
        pytest.skip(f"no Python {version} interpreter on this machine (pyenv or PATH)")
    singles = [p.stem for p in TEMPLATE.glob("*.py")]  # _flask_wtf, _flask_sqlalchemy
    done = subprocess.run(
        [python, "-I", "-B", "-c", STAND_INS, str(TEMPLATE), *singles],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("imported")


@pytest.mark.parametrize(
    ("source", "fails"),
    [
        ("from datetime import UTC\nfrom fastapi import FastAPI\n", True),
        ("import functools\n\n\n@functools.cache\ndef f():\n    pass\n", True),
        ("from typing import Any\n\nfrom fastapi import FastAPI, Request\n\nx: dict[str, Any] = {}\n", False),
    ],
)
def test_the_import_check_can_fail(tmp_path: Path, source: str, fails: bool):
    """A helper package using a 3.9+/3.11+ name fails the check; third-party imports alone do not."""
    python = _old_python("3.8")
    if python is None:
        pytest.skip("no Python 3.8 interpreter on this machine (pyenv or PATH)")
    (tmp_path / "_flask_compat").mkdir()
    (tmp_path / "_flask_compat" / "__init__.py").write_text("from __future__ import annotations\n" + source)
    command = [python, "-I", "-B", "-c", STAND_INS, str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert (done.returncode != 0) is fails, done.stderr[-2000:]
