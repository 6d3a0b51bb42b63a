"""Console scripts the project declares: ``[project.scripts]``, Poetry's ``[tool.poetry.scripts]``,
``setup.cfg``'s ``console_scripts`` and ``setup(entry_points=...)`` in ``setup.py`` (read, not run).

They say which command-line object is the program, and so where ``cli.*`` targets start.
"""

from __future__ import annotations

import ast
import configparser
import tomllib
from pathlib import Path

from .model import Found


def _entry(name: str, value: str, where: str) -> Found | None:
    spec = value.split("[")[0].strip()  # "pkg.mod:attr [extra]"
    if ":" not in spec:
        return None
    return Found("script", name.strip(), where, None, spec)


def _pyproject(root: Path) -> list[Found]:
    path = root / "pyproject.toml"
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return []
    found = []
    for table, where in (
        (data.get("project", {}).get("scripts", {}), "pyproject.toml [project.scripts]"),
        (data.get("tool", {}).get("poetry", {}).get("scripts", {}), "pyproject.toml [tool.poetry.scripts]"),
    ):
        for name, value in table.items() if isinstance(table, dict) else ():
            if isinstance(value, str):
                found += [f] if (f := _entry(name, value, where)) else []
    return found


def _setup_cfg(root: Path) -> list[Found]:
    path = root / "setup.cfg"
    if not path.is_file():
        return []
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
        raw = parser.get("options.entry_points", "console_scripts", fallback="")
    except configparser.Error:
        return []
    found = []
    for line in raw.splitlines():
        name, sep, value = line.partition("=")
        if sep:
            found += [f] if (f := _entry(name, value, "setup.cfg [options.entry_points]")) else []
    return found


def _setup_py(root: Path) -> list[Found]:
    path = root / "setup.py"
    if not path.is_file():
        return []
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "console_scripts":
                    items = value.elts if isinstance(value, ast.List | ast.Tuple) else []
                    for item in items:
                        if isinstance(item, ast.Constant) and isinstance(item.value, str):
                            name, sep, spec = item.value.partition("=")
                            if sep:
                                where = f"setup.py:{item.lineno}"
                                found += [f] if (f := _entry(name, spec, where)) else []
    return found


def find_scripts(root: Path) -> list[Found]:
    return _pyproject(root) + _setup_cfg(root) + _setup_py(root)
